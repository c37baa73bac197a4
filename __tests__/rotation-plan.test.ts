// The rotation's order (src/rotate/plan.ts), step by step, with a scripted
// key rotation and scripted secret destinations: each way out of each step,
// the whole outcome it leaves (what is live, what the step says, what the
// user is told to do), and the helpers the order is built from.

import type { Destination } from '../src/github/secrets.ts';
import type { SecretDestinations, WriteResults } from '../src/rotate/destinations.ts';
import {
  CANCELLED,
  expiryFromDays,
  notDueReason,
  reasonOf,
  RotationError,
  runRotation,
  type KeyRotation,
  type NewKey,
  type PlanOptions,
  type Retirement,
  type RotationOutcome,
} from '../src/rotate/plan.ts';

const NOW = Date.parse('2026-12-03T12:00:00.000Z');
const DAY = 86_400_000;
const REPO: Destination = { kind: 'repo', repo: 'acme/flows' };
const ENV: Destination = { kind: 'environment', repo: 'acme/flows', environment: 'prod' };
const KEY: NewKey = { id: 'k-new', value: 'pnb_new', expiresAt: '2027-01-01T00:00:00.000Z' };
const STANDING = 'the old key works for another hour.';
const RETIRED: Retirement = { revoked: true, detail: 'Revoked the old key.' };

interface Script {
  preflight?: Error;
  secretsPreflight?: Error;
  expiration?: string | null;
  recent?: { at: number; graceEnds: number };
  writtenSince?: { written: number; of: number } | Error;
  create?: Error;
  key?: NewKey;
  verify?: Error;
  rollback?: boolean | Error;
  write?: WriteResults;
  retire?: Retirement;
  /** What the rotation says to do when no secret holds its live new key (a rerun would refuse). */
  withoutHolders?: string;
  /** The calls of cancelled() that answer true, counted from 1. */
  cancelledAt?: number[];
}

/** Runs a rotation scripted by `script`; returns the outcome, the calls made and what was logged. */
async function scripted(script: Script, options: Partial<PlanOptions> = {}) {
  const calls: string[] = [];
  const masked: string[] = [];
  const logged: string[] = [];
  const handed: RotationOutcome[] = [];
  /** The outcome's written list after each write the destinations report. */
  const progress: Destination[][] = [];
  const rotation: KeyRotation = {
    describe: () => ({ create: 'replace the key of service account deploy', retire: 'retire the old key' }),
    preflight: async () => {
      calls.push('preflight');
      if (script.preflight) throw script.preflight;
    },
    create: async (mask) => {
      calls.push('create');
      if (script.create) throw script.create;
      const key = script.key ?? KEY;
      mask(key.value);
      return key;
    },
    verify: async () => {
      calls.push('verify');
      if (script.verify) throw script.verify;
    },
    rollback: async () => {
      calls.push('rollback');
      if (script.rollback instanceof Error) throw script.rollback;
      return script.rollback ?? true;
    },
    retire: async () => {
      calls.push('retire');
      return script.retire ?? RETIRED;
    },
    oldKeyStanding: () => STANDING,
    withoutHolders: () => script.withoutHolders,
    currentKeyExpiration: () => script.expiration,
    recentRotation: () => script.recent,
  };
  const secrets = {
    destinations: [REPO, ENV],
    preflight: async () => {
      calls.push('secrets.preflight');
      if (script.secretsPreflight) throw script.secretsPreflight;
    },
    writtenSince: async (since: number) => {
      calls.push(`writtenSince ${since}`);
      if (script.writtenSince instanceof Error) throw script.writtenSince;
      return script.writtenSince ?? { written: 0, of: 2 };
    },
    write: async (name: string, value: string, _cancelled: unknown, onWritten: (destination: Destination) => void) => {
      calls.push(`write ${name} ${value}`);
      const results = script.write ?? { written: [REPO, ENV], failed: [] };
      for (const destination of results.written) {
        onWritten(destination);
        progress.push([...(handed[0]?.written ?? [])]);
      }
      return results;
    },
  } as unknown as SecretDestinations;
  let cancelledCalls = 0;
  const outcome = await runRotation(rotation, secrets, {
    secretName: 'PREFECT_API_KEY',
    dryRun: false,
    mask: (value) => masked.push(value),
    log: (line) => logged.push(line),
    cancelled: () => (script.cancelledAt ?? []).includes((cancelledCalls += 1)),
    onOutcome: (given) => handed.push(given),
    ...options,
  });
  expect(handed).toEqual([outcome]);
  expect(handed[0]).toBe(outcome);
  expect(logged).toEqual(outcome.steps);
  return { outcome, calls, masked, progress };
}

const PASSED = 'Pre-flight passed: the key, the service account and every secret destination (repository acme/flows, environment prod of acme/flows) answered.';
const CREATED = 'Created new key k-new, expiring 2027-01-01T00:00:00.000Z.';
const CHECKED = 'The new key passed the check.';
const WROTE = ['Wrote secret PREFECT_API_KEY to repository acme/flows.', 'Wrote secret PREFECT_API_KEY to environment prod of acme/flows.'];
const nothing = { dryRun: false, rotated: false, newKeyLive: false, written: [], failed: [] };
/** A rotation whose new key every secret holds. */
const everyWritten = { ...nothing, rotated: true, newKey: KEY, newKeyLive: true, written: [REPO, ENV] };

test('the whole rotation: pre-flight, create, verify, every write, then retire', async () => {
  const { outcome, calls, masked } = await scripted({});
  expect(outcome).toEqual({
    ...everyWritten,
    retirement: RETIRED,
    steps: [PASSED, CREATED, CHECKED, ...WROTE, 'Revoked the old key.'],
  });
  expect(calls).toEqual(['preflight', 'secrets.preflight', 'create', 'verify', 'write PREFECT_API_KEY pnb_new', 'retire']);
  expect(masked).toEqual(['pnb_new']);
  const never = await scripted({ key: { ...KEY, expiresAt: null } });
  expect(never.outcome.steps[1]).toBe('Created new key k-new, never expiring.');
});

test("the outcome's written list grows as each secret is written, for a job stopped mid-way to report", async () => {
  const { outcome, progress } = await scripted({});
  expect(progress).toEqual([[REPO], [REPO, ENV]]);
  expect(outcome.written).toEqual([REPO, ENV]);
});

test('a failed pre-flight (either side) changes nothing', async () => {
  for (const script of [
    { preflight: new RotationError('the key may not read the bot.') },
    { secretsPreflight: new Error('the token may not read the key.') },
  ]) {
    const { outcome, calls } = await scripted(script);
    const reason = (script.preflight ?? script.secretsPreflight)!.message.replace(/\.$/, '');
    expect(outcome).toEqual({ ...nothing, steps: [], error: `Pre-flight failed, nothing was changed: ${reason}.` });
    expect(calls).not.toContain('create');
  }
});

test('rotate-if-expires-within-days: a key not due is not rotated; one due is', async () => {
  const far = new Date(Date.now() + 40 * DAY + 60_000).toISOString();
  const { outcome, calls } = await scripted({ expiration: far }, { rotateIfExpiresWithinDays: 30 });
  const why = `the key expires at ${far}, in 40 days: not within 30, so it is not due.`;
  expect(outcome).toEqual({ ...nothing, steps: [PASSED, `Not rotated: ${why}`], skipped: why });
  expect(calls).toEqual(['preflight', 'secrets.preflight']);
  const due = await scripted({ expiration: new Date(Date.now() + 5 * DAY).toISOString() }, { rotateIfExpiresWithinDays: 30 });
  expect(due.outcome.rotated).toBe(true);
  // Without the input, the expiry is not asked.
  expect((await scripted({ expiration: far })).outcome.rotated).toBe(true);
});

describe('a key made within the grace period (another rotation)', () => {
  const recent = { at: NOW - 60_000, graceEnds: NOW + 3_540_000 };
  const at = new Date(recent.at).toISOString();

  test('every destination written since: nothing to do', async () => {
    const { outcome, calls } = await scripted({ recent, writtenSince: { written: 2, of: 2 } });
    const why = `the service account's key was rotated at ${at}, within old-key-grace-seconds, and every destination was written since: it holds that key, so there is nothing to do.`;
    expect(outcome).toEqual({ ...nothing, steps: [PASSED, `Not rotated: ${why}`], skipped: why, upToDate: true });
    expect(calls).toEqual(['preflight', 'secrets.preflight', `writtenSince ${recent.at}`]);
  });

  test('none written since: refused, with when to run again', async () => {
    const { outcome } = await scripted({ recent, writtenSince: { written: 0, of: 2 } });
    expect(outcome).toEqual({
      ...nothing,
      steps: [PASSED],
      error: `Not rotated: the service account's key was rotated at ${at}, less than old-key-grace-seconds ago, and none of these destinations was written since. Rotating again now would retire a key that another workflow's destinations may hold before its grace ends. Every holder of a service account's key must be a destination of one rotation. If a run died after rotating, its key is lost: run again after ${new Date(recent.graceEnds).toISOString()}, when that key's grace is over.`,
    });
  });

  test('some written since: an earlier run stopped part-way, so this one rotates again', async () => {
    const { outcome } = await scripted({ recent, writtenSince: { written: 1, of: 2 } });
    expect(outcome.rotated).toBe(true);
    expect(outcome.steps.slice(0, 3)).toEqual([
      PASSED,
      `The service account's key was rotated at ${at} and 1 of 2 destinations hold it: an earlier run stopped part-way, so this run rotates again and writes every destination.`,
      CREATED,
    ]);
  });

  test('the secrets cannot be read: nothing is changed', async () => {
    const { outcome } = await scripted({ recent, writtenSince: new Error('HTTP 500.') });
    expect(outcome).toEqual({
      ...nothing,
      steps: [PASSED],
      error: `Pre-flight failed, nothing was changed: the service account's key was made at ${at}, within the grace period, and the secrets could not be read to see who holds it (HTTP 500).`,
    });
  });
});

test('a dry run says what it would do and creates nothing', async () => {
  const { outcome, calls } = await scripted({}, { dryRun: true });
  expect(outcome).toEqual({
    ...nothing,
    dryRun: true,
    steps: [
      PASSED,
      'Dry run: would replace the key of service account deploy, write secret PREFECT_API_KEY to repository acme/flows, environment prod of acme/flows, then retire the old key. Nothing was changed.',
    ],
  });
  expect(calls).toEqual(['preflight', 'secrets.preflight']);
});

test('cancelled before the create: nothing changed; a failed create: nothing live', async () => {
  const before = await scripted({ cancelledAt: [1] });
  expect(before.outcome).toEqual({ ...nothing, steps: [PASSED], error: 'The job was cancelled before the rotation: nothing was changed.' });
  expect(before.calls).not.toContain('create');
  const failed = await scripted({ create: new Error('HTTP 403: no.') });
  expect(failed.outcome).toEqual({ ...nothing, steps: [PASSED], error: 'Creating the new key failed: HTTP 403: no.' });
  expect(failed.masked).toEqual([]);
});

describe('after the create, a failure undoes it when it can', () => {
  const UNDONE = 'The new key was deleted again; the old key and the secrets are as they were.';
  const KEPT = `The new key is in this step's masked new-api-key output for a following step; ${STANDING} Run the workflow again to finish.`;

  test('cancelled after the create: deleted again, or left live when it cannot be', async () => {
    const why = 'The job was cancelled after the new key was created.';
    const undone = await scripted({ cancelledAt: [2] });
    expect(undone.outcome).toEqual({
      ...nothing,
      newKey: KEY,
      steps: [PASSED, CREATED, `Deleted the new key again: ${why}`],
      error: `${why} ${UNDONE}`,
    });
    expect(undone.calls).toEqual(['preflight', 'secrets.preflight', 'create', 'rollback']);
    for (const rollback of [false, new Error('HTTP 500')]) {
      const kept = await scripted({ cancelledAt: [2], rollback });
      expect(kept.outcome).toEqual({ ...nothing, newKey: KEY, newKeyLive: true, steps: [PASSED, CREATED], error: `${why} ${KEPT}` });
    }
  });

  test('the new key fails its check: deleted again, or left live', async () => {
    const why = 'The new key did not pass the check: Prefect Cloud answered HTTP 401.';
    const undone = await scripted({ verify: new RotationError('Prefect Cloud answered HTTP 401.') });
    expect(undone.outcome).toEqual({ ...nothing, newKey: KEY, steps: [PASSED, CREATED, `Deleted the new key again: ${why}`], error: `${why} ${UNDONE}` });
    expect(undone.calls).not.toContain('write PREFECT_API_KEY pnb_new');
    const kept = await scripted({ verify: new RotationError('Prefect Cloud answered HTTP 401.'), rollback: false });
    expect(kept.outcome).toMatchObject({ newKeyLive: true, error: `${why} ${KEPT}` });
  });

  test('no secret written, and none may have been: deleted again', async () => {
    const failed = [
      { destination: REPO, reason: 'HTTP 403', mayHaveLanded: false },
      { destination: ENV, reason: 'HTTP 404', mayHaveLanded: false },
    ];
    const { outcome, calls } = await scripted({ write: { written: [], failed } });
    const why = 'Writing secret PREFECT_API_KEY failed (repository acme/flows: HTTP 403; environment prod of acme/flows: HTTP 404).';
    expect(outcome).toEqual({
      ...nothing,
      newKey: KEY,
      failed,
      steps: [PASSED, CREATED, CHECKED, `Deleted the new key again: ${why}`],
      error: `${why} ${UNDONE}`,
    });
    expect(calls).toContain('rollback');
    expect(calls).not.toContain('retire');
  });
});

describe('some secret holds, or may hold, the new key: both keys stay live', () => {
  const LIVE = `Both keys stay live: the new one is in this step's masked new-api-key output; ${STANDING} Run the workflow again to finish.`;

  test('one written, one refused', async () => {
    const failed = [{ destination: ENV, reason: 'HTTP 403', mayHaveLanded: false }];
    const { outcome, calls } = await scripted({ write: { written: [REPO], failed } });
    expect(outcome).toEqual({
      ...nothing,
      newKey: KEY,
      newKeyLive: true,
      written: [REPO],
      failed,
      steps: [PASSED, CREATED, CHECKED, WROTE[0]],
      error: `Secret PREFECT_API_KEY was written to repository acme/flows but not to environment prod of acme/flows: HTTP 403. ${LIVE}`,
    });
    expect(calls).not.toContain('rollback');
  });

  test('none written, but an answer was lost', async () => {
    const failed = [
      { destination: REPO, reason: 'no answer', mayHaveLanded: true },
      { destination: ENV, reason: 'HTTP 403', mayHaveLanded: false },
    ];
    const { outcome, calls } = await scripted({ write: { written: [], failed } });
    expect(outcome.error).toBe(
      `Secret PREFECT_API_KEY failed (repository acme/flows: no answer; environment prod of acme/flows: HTTP 403). The answer from repository acme/flows was lost, so it may hold the new key. ${LIVE}`,
    );
    expect(outcome.newKeyLive).toBe(true);
    expect(calls).not.toContain('rollback');
  });

  test('several written, several lost: each listed, comma-separated', async () => {
    const STAGING: Destination = { kind: 'environment', repo: 'acme/flows', environment: 'staging' };
    const QA: Destination = { kind: 'environment', repo: 'acme/flows', environment: 'qa' };
    const failed = [
      { destination: STAGING, reason: 'no answer', mayHaveLanded: true },
      { destination: QA, reason: 'no answer', mayHaveLanded: true },
    ];
    const { outcome } = await scripted({ write: { written: [REPO, ENV], failed } });
    expect(outcome.error).toBe(
      'Secret PREFECT_API_KEY was written to repository acme/flows, environment prod of acme/flows but not to environment staging of acme/flows: no answer; environment qa of acme/flows: no answer. ' +
        `The answer from environment staging of acme/flows, environment qa of acme/flows was lost, so it may hold the new key. ${LIVE}`,
    );
  });
});

describe('the new key live and no secret holding it: no advice that the next run refuses', () => {
  const REFUSES = 'A run before 13:00 refuses to rotate again: write new-api-key in a following step.';
  const KEPT = `The new key is in this step's masked new-api-key output for a following step; ${STANDING} ${REFUSES}`;

  test("a failed check, a cancel, every write refused: the rotation's own advice, not a run that would refuse", async () => {
    const verify = await scripted({ verify: new RotationError('HTTP 401.'), rollback: false, withoutHolders: REFUSES });
    expect(verify.outcome.error).toBe(`The new key did not pass the check: HTTP 401. ${KEPT}`);
    const cancelled = await scripted({ cancelledAt: [2], rollback: false, withoutHolders: REFUSES });
    expect(cancelled.outcome.error).toBe(`The job was cancelled after the new key was created. ${KEPT}`);
    const failed = [{ destination: REPO, reason: 'HTTP 403', mayHaveLanded: false }];
    const refused = await scripted({ write: { written: [], failed }, rollback: false, withoutHolders: REFUSES });
    expect(refused.outcome.error).toBe(`Writing secret PREFECT_API_KEY failed (repository acme/flows: HTTP 403). ${KEPT}`);
  });

  test('only a lost answer may hold it: the advice; a secret written: a run finishes the job', async () => {
    const lost = [{ destination: REPO, reason: 'no answer', mayHaveLanded: true }];
    const unsure = await scripted({ write: { written: [], failed: lost }, withoutHolders: REFUSES });
    expect(unsure.outcome.error).toMatch(new RegExp(`Both keys stay live: the new one is in this step's masked new-api-key output; ${STANDING} ${REFUSES}$`));
    const held = await scripted({ write: { written: [ENV], failed: lost }, withoutHolders: REFUSES });
    expect(held.outcome.error).toMatch(/ Run the workflow again to finish\.$/);
  });
});

describe('every secret written', () => {
  test('cancelled before the old key is retired: said, and the step fails', async () => {
    const { outcome, calls } = await scripted({ cancelledAt: [3] });
    const failure = `Every secret holds the new key, but the job was cancelled before the old key was retired: ${STANDING} Run the workflow again to retire it.`;
    expect(CANCELLED).toBe('the job was cancelled');
    expect(outcome).toEqual({
      ...everyWritten,
      retirement: { revoked: false, detail: 'The old key was not retired: the job was cancelled.', failure },
      steps: [PASSED, CREATED, CHECKED, ...WROTE, 'The old key was not retired: the job was cancelled.'],
      error: failure,
    });
    expect(calls).not.toContain('retire');
  });

  test("a retirement's failure fails the step; a replaced key is not rotated", async () => {
    const failing = { revoked: false, detail: 'The old key could not be revoked.', failure: 'Revoke it by hand.' };
    const failed = await scripted({ retire: failing });
    expect(failed.outcome).toMatchObject({ rotated: true, retirement: failing, error: 'Revoke it by hand.' });
    expect(failed.outcome.steps.at(-1)).toBe('The old key could not be revoked.');
    const replaced = await scripted({ retire: { ...RETIRED, replaced: true, warning: 'replaced' } });
    expect(replaced.outcome).toMatchObject({ rotated: false, newKeyLive: true });
    expect(replaced.outcome).not.toHaveProperty('error');
  });
});

test('without cancelled or onOutcome, a rotation still runs', async () => {
  const rotation = {
    describe: () => ({ create: '', retire: '' }),
    preflight: async () => undefined,
    create: async () => KEY,
    verify: async () => undefined,
    rollback: async () => true,
    retire: async () => RETIRED,
    oldKeyStanding: () => STANDING,
    currentKeyExpiration: () => undefined,
  };
  const secrets = {
    destinations: [REPO],
    preflight: async () => undefined,
    write: async () => ({ written: [REPO], failed: [] }),
  } as unknown as SecretDestinations;
  const outcome = await runRotation(rotation, secrets, { secretName: 'S', dryRun: false, mask: () => undefined, log: () => undefined });
  expect(outcome).toMatchObject({ rotated: true, retirement: RETIRED });
});

test('notDueReason: never, unknown, whole days rounded down, and due strictly within the days', () => {
  expect(notDueReason(null, 30, NOW)).toBe('the key never expires, so it is not due (rotate-if-expires-within-days: 30).');
  expect(notDueReason(undefined, 7, NOW)).toBe('when the key expires is unknown, so it is not rotated on that account (rotate-if-expires-within-days: 7).');
  const at = (ms: number) => new Date(NOW + ms).toISOString();
  expect(notDueReason(at(30 * DAY), 30, NOW)).toBe(`the key expires at ${at(30 * DAY)}, in 30 days: not within 30, so it is not due.`);
  expect(notDueReason(at(30 * DAY - 1), 30, NOW)).toBeUndefined();
  expect(notDueReason(at(31 * DAY - 1), 30, NOW)).toMatch(/in 30 days/);
  expect(notDueReason(at(-DAY), 1, NOW)).toBeUndefined();
});

test('expiryFromDays and reasonOf', () => {
  expect(expiryFromDays(undefined, NOW)).toBeNull();
  expect(expiryFromDays(2, NOW)).toBe('2026-12-05T12:00:00.000Z');
  expect(reasonOf(new Error('It failed.'))).toBe('It failed');
  expect(reasonOf(new Error('v1.2 failed'))).toBe('v1.2 failed');
  expect(reasonOf('text.')).toBe('text');
  expect(reasonOf('a. b')).toBe('a. b');
  expect(new RotationError('x').name).toBe('RotationError');
});
