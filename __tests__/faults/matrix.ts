// The fault matrix's shared parts: the faults the emulator injects, one
// emulator per cell (cells run side by side), the rows as data, and the
// results table each file prints when it is done. Each cell runs the step
// in-process on a clock that skips its waits: what a failure leads to is a
// rule of the step's, not of the process (the spawned tests in e2e/ and
// faults/crash.test.ts show what only a process shows).
//
// A cell is route × fault × variant: `once` fails the first request on the
// route and lets the next through; `always` fails every request. Delays are
// longer than the whole run (deadline and cleanup included), and the cell's
// emulator is closed when the cell ends, so a delayed request never takes
// effect: "reset after effect" is the fault whose effect is applied and whose
// answer is lost.

import { startEmulator, type Emulator, type Fault, type RecordedRequest, type RouteName } from '../emulator/index.ts';
import { endOfFileChecks } from '../support/emulator.ts';
import { firstLine, renderTable, saveResults, titleOf, VARIANTS, type CellResult, type FaultName, type Row, type Variant } from './table.ts';

export { FAULT_ORDER, titleOf, VARIANTS, type CellResult, type FaultName, type Row, type Variant } from './table.ts';

/**
 * The faults every route gets, one per distinct behaviour of the action; mutation routes add 'reset after effect',
 * GraphQL routes 'graphqlError'. A fault that takes another's path is left to that one's cell:
 * - 500, 502 and 'html' (a 502 page) take 503's: a transient status is retried alike whatever its number or body
 *   (isTransientStatus, and Octokit's retry plugin; retry.test.ts pins each status);
 * - 'delay' (an answer after the run) takes 'hang''s (none): a client that gives up at its deadline never sees it;
 * - 'empty' takes 'malformed''s: a 200 whose body is not the answer the route gives, read and refused alike.
 * faultFor keeps them all, for a cell that needs one. '429' stays: to GitHub, a 429 without a spent quota is a
 * secondary limit, not a transient status.
 */
export const BASE_FAULTS: FaultName[] = ['503', '429 Retry-After', '429', 'hang', 'reset', 'malformed'];

/** The Retry-After the 429 cells send, in seconds. */
export const RETRY_AFTER_S = 1;

/** README: looking, undoing and revoking after a failure may run up to 10 s past timeout-seconds. */
export const CLEANUP_MS = 10_000;

/** A GraphQL error a server sends for its own failure (HTTP 200). */
export const SERVER_GRAPHQL_ERROR = { message: 'Internal server error: upstream timed out', code: 'INTERNAL_SERVER_ERROR' };

export function faultFor(name: FaultName, variant: Variant, timeoutMs: number): Fault {
  const times = variant === 'once' ? { times: 1 } : {};
  const behaviour: Record<FaultName, Fault> = {
    '500': { status: 500 },
    '502': { status: 502 },
    '503': { status: 503 },
    '429 Retry-After': { status: 429, retryAfter: RETRY_AFTER_S },
    '429': { status: 429 },
    delay: { delayMs: timeoutMs + CLEANUP_MS + 20_000 },
    hang: { hang: true },
    reset: { reset: true },
    'reset after effect': { reset: true, after: true },
    malformed: { malformed: true },
    empty: { empty: true },
    html: { html: true },
    graphqlError: { graphqlError: SERVER_GRAPHQL_ERROR },
  };
  return { ...behaviour[name], ...times };
}

/** The HTTP status the action last saw under a fault that never lets a request through. */
export function lastStatusOf(name: FaultName): string {
  if (['500', '502', '503'].includes(name)) return name;
  if (name === '429 Retry-After' || name === '429') return '429';
  if (name === 'html') return '502';
  if (['malformed', 'empty', 'graphqlError'].includes(name)) return '200';
  return ''; // no answer: reset, delay, hang
}

/** 'graphql:create_api_key' -> the emulator's route and the GraphQL operation. */
export function routeOf(label: string): { route: RouteName; operation?: string } {
  const [route, operation] = label.split(' ')[0]!.split(':');
  return { route: route as RouteName, operation };
}

export function faultRouteOf(label: string): RouteName {
  return label.split(' ')[0] as RouteName;
}

export function requestsOn(emu: Emulator, label: string): RecordedRequest[] {
  const { route, operation } = routeOf(label);
  return emu.requests.filter((request) => request.route === route && (operation === undefined || request.operation === operation));
}

/** The step waited at least as long as the 429's Retry-After asked, on its clock, before it tried again. */
export function expectRetryAfterHonoured(sleeps: number[]): void {
  if (!sleeps.some((ms) => ms >= RETRY_AFTER_S * 1000)) {
    throw new Error(`after a 429 with Retry-After: ${RETRY_AFTER_S}, the step's waits were ${JSON.stringify(sleeps)} ms: none as long as it asked`);
  }
}

/**
 * GitHub's client: Octokit's plugins wait on the process's timers, Retry-After seconds times `msPerSecond` (the
 * githubRateLimitBaseMs setting), so the wait shows between the two requests the emulator received.
 */
export function expectGitHubRetryAfterHonoured(requests: RecordedRequest[], msPerSecond: number): void {
  const gap = requests.length < 2 ? NaN : requests[1]!.at - requests[0]!.at;
  if (!(gap >= RETRY_AFTER_S * msPerSecond)) throw new Error(`the retry came ${gap} ms after a 429 with Retry-After: ${RETRY_AFTER_S}, sooner than it asked`);
}

// Every cell's GitHub requests are held to GitHub's description, as in every other test file.
afterAll(() => endOfFileChecks());

/** An emulator of its own for one cell: cells run concurrently. */
export async function withEmulator<T>(work: (emu: Emulator) => Promise<T>): Promise<T> {
  const emu = await startEmulator();
  try {
    return await work(emu);
  } finally {
    await emu.close();
  }
}

/** What a cell reports while it runs: the observed outcome, set before the assertions so a failing cell still shows it. */
export type Note = (observed: string) => void;

/** Cells started at once: each mostly waits on loopback exchanges and its deadline's timers, not on a core. */
const CELLS_AT_ONCE = 8;

/**
 * Registers every row as a test and prints the file's table after the last one. `run` runs the step for the row
 * in-process (runRecorded), notes what it saw, and asserts. The cells are started together before the first test,
 * at most CELLS_AT_ONCE at a time (jest's test.concurrent shares one limit with the spawned tests of other files),
 * and each test awaits its own cell: a matrix takes about as long as its slowest cells, not their sum.
 */
export function defineMatrix(title: string, rows: Row[], run: (row: Row, note: Note) => Promise<void>): void {
  const results: CellResult[] = [];
  // One settled-later promise per cell, made up front: a test awaits its cell whether or not a lane has started it.
  const outcomes = new Map(
    rows.map((row) => {
      let settle!: (outcome: unknown) => void;
      const outcome = new Promise<unknown>((resolve) => (settle = resolve));
      return [titleOf(row), { outcome, settle }] as const;
    }),
  );
  const runCell = async (row: Row): Promise<unknown> => {
    let observed = 'no run';
    try {
      await run(row, (seen) => {
        observed = seen;
      });
      results.push({ ...row, observed, pass: true });
      return undefined;
    } catch (error) {
      results.push({ ...row, observed, pass: false, failure: firstLine(error) });
      return error ?? new Error('the cell failed');
    }
  };
  beforeAll(() => {
    // Under mutation testing, only the cells whose tests the name pattern selects (the tests that reach the mutant):
    // the others would be waited for and thrown away. The pattern is told by mutation-environment.mjs.
    const pattern = (globalThis as { __mutationNamePattern?: string }).__mutationNamePattern;
    const selected = pattern === undefined ? undefined : new RegExp(pattern, 'i');
    const waiting: Row[] = [];
    for (const row of rows) {
      if (selected === undefined || selected.test(titleOf(row))) waiting.push(row);
      else outcomes.get(titleOf(row))!.settle(undefined);
    }
    const next = async (): Promise<void> => {
      const row = waiting.shift();
      if (row === undefined) return;
      outcomes.get(titleOf(row))!.settle(await runCell(row));
      await next();
    };
    for (let lane = 0; lane < CELLS_AT_ONCE; lane += 1) void next();
  });
  test.each(rows.map((row) => [titleOf(row)] as const))('%s', async (cell) => {
    const error = await outcomes.get(cell)!.outcome;
    if (error !== undefined) throw error;
  });
  afterAll(async () => {
    // Every cell ends before the file does, also those whose tests a name filter skipped.
    await Promise.all([...outcomes.values()].map(({ outcome }) => outcome));
    const order = new Map(rows.map((row, index) => [titleOf(row), index]));
    results.sort((a, b) => (order.get(titleOf(a)) ?? 0) - (order.get(titleOf(b)) ?? 0));
    saveResults(title, results);
    process.stdout.write(renderTable(title, results));
  });
}

/** Rows for one route: every fault × both variants, each with its expectation. */
export function rowsFor(route: string, faults: FaultName[], expected: (fault: FaultName, variant: Variant) => string): Row[] {
  return faults.flatMap((fault) => VARIANTS.map((variant) => ({ route, fault, variant, expected: expected(fault, variant) })));
}
