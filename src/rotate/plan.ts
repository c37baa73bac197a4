// The order that loses nothing: read everything first, then create, verify,
// write every secret, and only then retire the old key. Every failure after
// the create either undoes it or leaves the new key in a masked output with
// a message that says what still works and what to do.

import { describeDestination, type Destination } from '../github/secrets.ts';
import { daysLeft } from '../prefect/expiry.ts';
import type { SecretDestinations, WriteFailure } from './destinations.ts';

export interface NewKey {
  id: string;
  value: string;
  expiresAt: string | null;
}

export interface Retirement {
  /** Every old key that was due is revoked. */
  revoked: boolean;
  /** When the old key stops working, if it was left to expire. */
  expiresAt?: string;
  detail: string;
  /** Revocation was due but failed: the step fails with this. */
  failure?: string;
  /** Nothing failed, but an old key may stay live: the user is told. */
  warning?: string;
  /** Another rotation replaced the new key after it was written: the secrets hold a key that will stop working. */
  replaced?: boolean;
}

/** One Prefect API's way of replacing a service account's key. */
export interface KeyRotation {
  /** One sentence for the plan: what will be replaced, and how the old key ends. */
  /** The plan in the README's order: `create` (the new key), then, after the secrets are written, `retire` (the old one). */
  describe(): { create: string; retire: string };
  /** Reads only. Throws RotationError naming what is wrong. */
  preflight(): Promise<void>;
  /** Creates the new key; calls `mask` with its value the instant it is parsed. */
  create(mask: (value: string) => void): Promise<NewKey>;
  /** Throws RotationError when the new key does not work. */
  verify(key: NewKey): Promise<void>;
  /** Deletes the new key again; false when the API cannot undo a rotation. */
  rollback(key: NewKey): Promise<boolean>;
  /** Once every secret holds the new key. */
  retire(key: NewKey): Promise<Retirement>;
  /** How long the old key keeps working, for a failure message. */
  oldKeyStanding(): string;
  /**
   * What to do when this run's new key is live and no secret holds it, when a run of the workflow would not
   * finish the job: within the grace period a rerun refuses to rotate again (see recentRotation), and the
   * message must not send the user to it. Absent: a run of the workflow finishes the job.
   */
  withoutHolders?(): string | undefined;
  /** After pre-flight: when the key that would be rotated expires (null: never; undefined: unknown). */
  currentKeyExpiration(): string | null | undefined;
  /** After pre-flight: when the current key was made, if that was less than its grace period ago (another rotation's key). */
  recentRotation?(): { at: number; graceEnds: number } | undefined;
}

export function expiryFromDays(days: number | undefined, now: number): string | null {
  return days === undefined ? null : new Date(now + days * 86_400_000).toISOString();
}

/** A step of the rotation failed; the message says why. */
export class RotationError extends Error {
  override name = 'RotationError';
}

export interface RotationOutcome {
  dryRun: boolean;
  /** A new key exists and every secret holds it. */
  rotated: boolean;
  newKey?: NewKey;
  /** The new key exists and was not rolled back: the masked new-api-key output carries it. */
  newKeyLive: boolean;
  written: Destination[];
  failed: WriteFailure[];
  retirement?: Retirement;
  /** What happened, step by step, for the log and the summary. */
  steps: string[];
  /** Set when the step must fail. */
  error?: string;
  /** Why nothing was rotated although nothing failed (rotate-if-expires-within-days, or the work already done). */
  skipped?: string;
  /** Skipped because every destination already holds the service account's current key: an earlier run did the work. */
  upToDate?: boolean;
}

/** Why a key is not due for rotation under rotate-if-expires-within-days; undefined when it is due. */
export function notDueReason(expiration: string | null | undefined, withinDays: number, now: number): string | undefined {
  if (expiration === null) return `the key never expires, so it is not due (rotate-if-expires-within-days: ${withinDays}).`;
  if (expiration === undefined) return `when the key expires is unknown, so it is not rotated on that account (rotate-if-expires-within-days: ${withinDays}).`;
  const days = daysLeft(expiration, now);
  if (days < withinDays) return undefined;
  return `the key expires at ${expiration}, in ${days} days: not within ${withinDays}, so it is not due.`;
}

export interface PlanOptions {
  secretName: string;
  dryRun: boolean;
  /** Rotate only when the key that would be rotated expires within this many days. */
  rotateIfExpiresWithinDays?: number;
  mask: (value: string) => void;
  log: (line: string) => void;
  /** True once the job is being cancelled: no further step is started. */
  cancelled?: () => boolean;
  /** Handed the outcome as soon as it exists, so that a run stopped at once can still report it. */
  onOutcome?: (outcome: RotationOutcome) => void;
  /** Epoch milliseconds now, on the step's clock. */
  now?: () => number;
}

/** What a cancelled run says: the runner stops the job, and this run starts no further step. */
export const CANCELLED = 'the job was cancelled';

/** An error's message without its closing period: it is quoted inside a sentence. */
export function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}

export async function runRotation(rotation: KeyRotation, secrets: SecretDestinations, options: PlanOptions): Promise<RotationOutcome> {
  const outcome: RotationOutcome = { dryRun: options.dryRun, rotated: false, newKeyLive: false, written: [], failed: [], steps: [] };
  options.onOutcome?.(outcome);
  const cancelled = () => options.cancelled?.() ?? false;
  const step = (line: string) => {
    outcome.steps.push(line);
    options.log(line);
  };
  const where = secrets.destinations.map(describeDestination).join(', ');

  try {
    await Promise.all([rotation.preflight(), secrets.preflight()]);
  } catch (error) {
    outcome.error = `Pre-flight failed, nothing was changed: ${reasonOf(error)}.`;
    return outcome;
  }
  step(`Pre-flight passed: the key, the service account and every secret destination (${where}) answered.`);
  if (options.rotateIfExpiresWithinDays !== undefined) {
    const notDue = notDueReason(rotation.currentKeyExpiration(), options.rotateIfExpiresWithinDays, (options.now ?? Date.now)());
    if (notDue) {
      outcome.skipped = notDue;
      step(`Not rotated: ${notDue}`);
      return outcome;
    }
  }
  const recent = rotation.recentRotation?.();
  if (recent) {
    const at = new Date(recent.at).toISOString();
    let seen;
    try {
      seen = await secrets.writtenSince(recent.at);
    } catch (error) {
      outcome.error = `Pre-flight failed, nothing was changed: the service account's key was made at ${at}, within the grace period, and the secrets could not be read to see who holds it (${reasonOf(error)}).`;
      return outcome;
    }
    if (seen.written === seen.of) {
      outcome.skipped = `the service account's key was rotated at ${at}, within old-key-grace-seconds, and every destination was written since: it holds that key, so there is nothing to do.`;
      outcome.upToDate = true;
      step(`Not rotated: ${outcome.skipped}`);
      return outcome;
    }
    if (seen.written === 0) {
      outcome.error = `Not rotated: the service account's key was rotated at ${at}, less than old-key-grace-seconds ago, and none of these destinations was written since. Rotating again now would retire a key that another workflow's destinations may hold before its grace ends. Every holder of a service account's key must be a destination of one rotation. If a run died after rotating, its key is lost: run again after ${new Date(recent.graceEnds).toISOString()}, when that key's grace is over.`;
      return outcome;
    }
    // Some of these destinations hold the current key: an earlier run of this rotation stopped part-way. Rotating
    // again retires only a key these destinations held, and writes its successor to all of them.
    step(
      `The service account's key was rotated at ${at} and ${seen.written} of ${seen.of} destinations hold it: an earlier run stopped part-way, so this run rotates again and writes every destination.`,
    );
  }
  if (options.dryRun) {
    const plan = rotation.describe();
    step(`Dry run: would ${plan.create}, write secret ${options.secretName} to ${where}, then ${plan.retire}. Nothing was changed.`);
    return outcome;
  }

  if (cancelled()) {
    outcome.error = `The job was cancelled before the rotation: nothing was changed.`;
    return outcome;
  }
  let key: NewKey;
  try {
    key = await rotation.create(options.mask);
  } catch (error) {
    outcome.error = `Creating the new key failed: ${reasonOf(error)}.`;
    return outcome;
  }
  outcome.newKey = key;
  outcome.newKeyLive = true;
  step(`Created new key ${key.id}${key.expiresAt ? `, expiring ${key.expiresAt}` : ', never expiring'}.`);

  const FINISH = 'Run the workflow again to finish.';
  /** What to do next, when the new key stays live; `held`: some secret holds it. */
  const next = (held: boolean) => (held ? FINISH : (rotation.withoutHolders?.() ?? FINISH));
  const undo = async (why: string): Promise<void> => {
    if (await rotation.rollback(key).catch(() => false)) {
      outcome.newKeyLive = false;
      step(`Deleted the new key again: ${why}`);
      outcome.error = `${why} The new key was deleted again; the old key and the secrets are as they were.`;
      return;
    }
    outcome.error = `${why} The new key is in this step's masked new-api-key output for a following step; ${rotation.oldKeyStanding()} ${next(false)}`;
  };

  if (cancelled()) {
    await undo('The job was cancelled after the new key was created.');
    return outcome;
  }
  try {
    await rotation.verify(key);
  } catch (error) {
    await undo(`The new key did not pass the check: ${reasonOf(error)}.`);
    return outcome;
  }
  step('The new key passed the check.');

  // outcome.written grows as the writes land: a second signal mid-way reports the secrets that hold the new key.
  const results = await secrets.write(options.secretName, key.value, cancelled, (destination) => {
    outcome.written.push(destination);
    step(`Wrote secret ${options.secretName} to ${describeDestination(destination)}.`);
  });
  outcome.failed = results.failed;
  if (results.failed.length > 0) {
    const failures = results.failed.map(({ destination, reason }) => `${describeDestination(destination)}: ${reason}`).join('; ');
    const unsure = results.failed.filter((failure) => failure.mayHaveLanded).map((failure) => describeDestination(failure.destination));
    if (results.written.length === 0 && unsure.length === 0) {
      await undo(`Writing secret ${options.secretName} failed (${failures}).`);
    } else {
      // Some secrets hold (or may hold) the new key: deleting it would break them.
      const held =
        results.written.length > 0 ? `was written to ${results.written.map(describeDestination).join(', ')} but not to ${failures}` : `failed (${failures})`;
      const maybe = unsure.length > 0 ? ` The answer from ${unsure.join(', ')} was lost, so it may hold the new key.` : '';
      outcome.error = `Secret ${options.secretName} ${held}.${maybe} Both keys stay live: the new one is in this step's masked new-api-key output; ${rotation.oldKeyStanding()} ${next(results.written.length > 0)}`;
    }
    return outcome;
  }
  outcome.rotated = true;

  if (cancelled()) {
    outcome.retirement = {
      revoked: false,
      detail: `The old key was not retired: ${CANCELLED}.`,
      failure: `Every secret holds the new key, but ${CANCELLED} before the old key was retired: ${rotation.oldKeyStanding()} Run the workflow again to retire it.`,
    };
    step(outcome.retirement.detail);
    outcome.error = outcome.retirement.failure;
    return outcome;
  }
  outcome.retirement = await rotation.retire(key);
  step(outcome.retirement.detail);
  if (outcome.retirement.failure) outcome.error = outcome.retirement.failure;
  if (outcome.retirement.replaced) outcome.rotated = false;
  return outcome;
}
