// Fault matrix, the check: /health (a named workspace), /me/workspaces (the
// key alone) and Cloud 1's auth_info (a key without a prefix). README: 5xx,
// 429 (honouring Retry-After), network failures and unreadable answers are
// retried within one deadline; when they last the status is `unavailable`,
// which says nothing about the key. A 200 from /health is healthy only with
// Prefect's `true`: cut short or empty, it is `unexpected`.

import { skippingClock } from '../support/clock.ts';
import { runRecorded } from '../support/in-process-step.ts';
import { workspaceUrlOf, withoutExpiry } from '../support/emulator.ts';
import type { Emulator } from '../emulator/index.ts';
import {
  BASE_FAULTS,
  defineMatrix,
  faultFor,
  faultRouteOf,
  expectRetryAfterHonoured,
  lastStatusOf,
  requestsOn,
  rowsFor,
  withEmulator,
  type FaultName,
  type Row,
  type Variant,
} from './matrix.ts';

/** Room for a first attempt, a backoff or a Retry-After of 1 s, and a second attempt; a hanging server costs this much real time. */
const TIMEOUT_S = 2;
const RETRIES = 1;

interface CheckExpectation {
  status: 'valid' | 'unavailable' | 'unexpected';
  requests: number;
  statusCode: string;
}

function expectation(route: string, fault: FaultName, variant: Variant): CheckExpectation {
  // The first request is given half of the deadline: the retry is sent within it.
  if (fault === 'delay' || fault === 'hang')
    return variant === 'once' ? { status: 'valid', requests: 2, statusCode: '200' } : { status: 'unavailable', requests: 2, statusCode: '' };
  // README: `valid` is /health answering 200 with Prefect's `true`; a 200 with any other body is not Prefect's answer.
  if (route === 'health' && (fault === 'malformed' || fault === 'empty')) return { status: 'unexpected', requests: 1, statusCode: '200' };
  if (variant === 'once') return { status: 'valid', requests: 2, statusCode: '200' };
  return { status: 'unavailable', requests: RETRIES + 1, statusCode: lastStatusOf(fault) };
}

function describe(route: string, fault: FaultName, variant: Variant): string {
  const { status, requests, statusCode } = expectation(route, fault, variant);
  const retried = requests > 1 ? `retried (${requests} requests)` : '1 request';
  return `${retried}, ${status}${statusCode ? ` ${statusCode}` : ''}, exit ${status === 'valid' ? 0 : 1}`;
}

function inputsFor(emu: Emulator, route: string): Record<string, string> {
  const { seed } = emu;
  const common = { retries: String(RETRIES), 'timeout-seconds': String(TIMEOUT_S) };
  if (route === 'health') return { 'api-key': seed.user.key, 'api-url': workspaceUrlOf(emu, seed.account.id, seed.workspaces.prod.id), ...common };
  if (route === 'me-workspaces') return { 'api-key': seed.user.key, 'api-url': emu.apiUrl, ...common };
  return { 'api-key': seed.cloud1.key, 'graphql-url': emu.graphqlUrl, 'prefect-api': 'graphql', ...common };
}

const ROUTES = ['health', 'me-workspaces', 'graphql:auth_info'];
const rows: Row[] = ROUTES.flatMap((route) =>
  rowsFor(route, route.startsWith('graphql') ? [...BASE_FAULTS, 'graphqlError'] : BASE_FAULTS, (fault, variant) => describe(route, fault, variant)),
);

defineMatrix('check', rows, (row, note) =>
  withEmulator(async (emu) => {
    const want = expectation(row.route, row.fault, row.variant);
    emu.fault(faultRouteOf(row.route), faultFor(row.fault, row.variant, TIMEOUT_S * 1000));
    // The step's clock skips its waits (backoff, Retry-After; the key's expiry is not waited for, which on that clock
    // would spend 2 s at once); an attempt's time limit is a real timer, so a server that never answers costs its share.
    const { clock, sleeps } = skippingClock();
    const started = clock.now();
    const run = await runRecorded(inputsFor(emu, row.route), { clock, timings: { expiryWaitMs: 0 } });
    const elapsedMs = clock.now() - started;
    const onRoute = requestsOn(emu, row.route);
    note(`exit ${run.exitCode}, ${run.outputs.status} ${run.outputs['status-code'] ?? ''}, ${onRoute.length} requests, ${elapsedMs} ms on the step's clock`);

    expect(run.outputs.status).toBe(want.status);
    expect(run.outputs['status-code']).toBe(want.statusCode);
    expect(run.exitCode).toBe(want.status === 'valid' ? 0 : 1);
    expect(onRoute).toHaveLength(want.requests);
    expect(withoutExpiry(emu.requests).filter((request) => request.operation !== 'auth_api_key')).toHaveLength(want.requests); // nothing else but when the key expires
    if (row.fault === '429 Retry-After' && want.requests > 1) expectRetryAfterHonoured(sleeps);
    // A server that never answers: the step keeps trying until its deadline, on its own clock, and then ends (a run
    // that never ended would fail the test's time limit; e2e/check-proxy-deadline.test.ts times the process itself).
    // An attempt's limit is a timer, which counts from the event loop's time, read when the loop last turned: set in a
    // long turn (cells run side by side), it fires that much early by the clock.
    if ((row.fault === 'delay' || row.fault === 'hang') && want.status === 'unavailable') expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_S * 1000 - 250);
    if (want.status === 'unavailable') {
      const errors = run.annotations.filter((annotation) => annotation.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        title: 'Key check failed (unavailable)',
        message: expect.stringContaining('This says nothing about the key; run the job again later.'),
      });
      expect(run.annotations.map((annotation) => annotation.message).join('\n')).not.toMatch(/rejected|invalid-key|wrong, expired/i);
    }
  }),
);
