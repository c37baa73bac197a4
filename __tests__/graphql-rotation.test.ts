// Rotation through Prefect Cloud 1 (src/rotate/graphql-rotation.ts) against a
// loopback GraphQL server scripted per operation: which keys are this
// action's, a create sent once and a lost one looked for and deleted, the new
// key checked as its own service account's, every failure before the end
// undone, and a retirement that revokes only what is due and proves it.

import { graphqlRotation, keyStamp } from '../src/rotate/graphql-rotation.ts';
import { RotationError, type NewKey } from '../src/rotate/plan.ts';
import { answer, inTurn, quickPolicy, useLoopback, type Reply } from './support/loopback.ts';
import { rejectionOf } from './support/rejection.ts';
import { deadlineIn } from './support/clock.ts';

const RUN_KEY = 'cloud1runkeyabcdefghijklmnopqrstuvwxyz';
const NEW = 'cloud1newkeyabcdefghijklmnopqrstuvwxyz';
const ACTOR = '0f4a3b1c-9d2e-4f60-8a7b-1c2d3e4f5a6b';
const SA = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const OTHER = '11111111-2222-4333-8444-555555555555';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const NEW_ID = id(99);

type Op = 'auth_info' | 'auth_api_key' | 'create_api_key' | 'delete_api_key';
interface Request {
  op: Op;
  variables: { input?: { key_id?: string; name?: string; user_id?: string; expires_at?: string | null } };
  authorization: string;
}
/** Replies per operation, in turn (the last one repeats); a function answers from the request. */
let script: Partial<Record<Op, (Reply | ((request: Request) => Reply))[]>> = {};
let seen: Request[] = [];
const loopback = useLoopback((received, response) => {
  const body = JSON.parse(received.body) as { query: string; variables: Request['variables'] };
  const op = (['auth_info', 'auth_api_key', 'create_api_key', 'delete_api_key'] as const).find((field) => body.query.includes(field))!;
  const request = { op, variables: body.variables, authorization: String(received.headers.authorization) };
  seen.push(request);
  const replies = script[op] ?? [[599, 'unscripted']];
  const next = inTurn(replies);
  answer(response, typeof next === 'function' ? next(request) : next);
});
beforeEach(() => {
  script = {};
  seen = [];
});

const data = (value: unknown): Reply => [200, { data: value }];
const problem = (code: string, message = 'no'): Reply => [200, { errors: [{ message, extensions: { code } }], data: null }];
const key = (n: number, name: string, created: string, user = SA, expires: string | null = null) => ({
  id: id(n),
  name,
  created,
  expires_at: expires,
  user_id: user,
});
const list = (...keys: ReturnType<typeof key>[]): Reply => data({ auth_api_key: keys });
/** The name the last create asked for. */
const createdName = () => seen.filter((request) => request.op === 'create_api_key').at(-1)?.variables.input?.name ?? '';
const ops = () => seen.map((request) => request.op);
const deleted = () => seen.filter((request) => request.op === 'delete_api_key').map((request) => request.variables.input?.key_id);

function rotation(
  options: {
    oldKeyId?: string;
    graceSeconds?: number;
    serviceAccountId?: string;
    newKeyExpiresInDays?: number;
    retries?: number;
    trace?: (line: string) => void;
  } = {},
) {
  const logged: string[] = [];
  const it = graphqlRotation({
    api: { url: new URL(`${loopback()}/graphql`), apiKey: RUN_KEY, policy: { ...quickPolicy(options.retries ?? 0), trace: options.trace } },
    actorId: ACTOR,
    serviceAccountId: 'serviceAccountId' in options ? options.serviceAccountId : SA,
    keyName: 'ci',
    newKeyExpiresInDays: options.newKeyExpiresInDays,
    oldKeyId: options.oldKeyId,
    graceSeconds: options.graceSeconds ?? 0,
    log: (line) => logged.push(line),
  });
  return { it, logged };
}

test('keyStamp: the UTC time without separators or fractions', () => {
  expect(keyStamp(new Date('2026-11-23T17:45:00.123Z'))).toBe('20261123T174500Z');
});

test('describe: the name, whose key, and what is deleted after', () => {
  expect(rotation().it.describe()).toEqual({
    create: `create a key named ci-<UTC time> for service account ${SA} through the Prefect Cloud 1 GraphQL API`,
    retire: 'delete older keys named ci-<UTC time>',
  });
  expect(rotation({ oldKeyId: id(1), graceSeconds: 60, serviceAccountId: undefined }).it.describe()).toEqual({
    create: `create a key named ci-<UTC time> for service account ${ACTOR} through the Prefect Cloud 1 GraphQL API`,
    retire: `delete key ${id(1)} and older keys named ci-<UTC time> created more than 60 s before it`,
  });
});

describe('preflight', () => {
  test("the key rotated: old-key-id, else the newest of this action's keys of the service account", async () => {
    script.auth_api_key = [
      list(
        key(1, 'ci-20260101T000000Z', '2026-01-01T00:00:00Z', SA, '2027-01-01T00:00:00Z'),
        key(2, 'ci-20260301T000000Z', '2026-03-01T00:00:00Z', SA, '2027-03-01T00:00:00Z'),
        key(3, 'ci-staging-20260401T000000Z', '2026-04-01T00:00:00Z', SA, '2027-04-01T00:00:00Z'),
        key(4, 'ci-20260501T000000Zx', '2026-05-01T00:00:00Z', SA, '2027-05-01T00:00:00Z'),
        key(5, 'ci-20260601T000000Z', '2026-06-01T00:00:00Z', OTHER, '2027-06-01T00:00:00Z'),
        key(6, 'manual', '2026-07-01T00:00:00Z', SA, '2027-07-01T00:00:00Z'),
      ),
    ];
    const newest = rotation();
    await newest.it.preflight();
    expect(newest.it.currentKeyExpiration()).toBe('2027-03-01T00:00:00.000Z');
    const named = rotation({ oldKeyId: id(6) });
    await named.it.preflight();
    expect(named.it.currentKeyExpiration()).toBe('2027-07-01T00:00:00.000Z');
    expect(named.logged).toEqual([]);
  });

  test("none of this action's keys: unknown; an old-key-id not live is said, not failed", async () => {
    script.auth_api_key = [list(key(6, 'manual', '2026-07-01T00:00:00Z'), key(1, 'ci-20260101T000000Z', '2026-01-01T00:00:00Z', OTHER))];
    const { it, logged } = rotation({ oldKeyId: id(7) });
    await it.preflight();
    expect(it.currentKeyExpiration()).toBeUndefined();
    expect(logged).toEqual([`old-key-id ${id(7)} is not a live key of service account ${SA}: nothing to revoke there.`]);
  });

  test('a refusal to list keys names the role listing needs', async () => {
    script.auth_api_key = [problem('FORBIDDEN', 'Unauthorized')];
    const error = await rejectionOf(rotation().it.preflight());
    expect(error).toBeInstanceOf(RotationError);
    expect(error.message).toBe(
      'Prefect Cloud 1 would not list API keys (FORBIDDEN: Unauthorized); listing needs the Administrator role, which service accounts have',
    );
  });
});

describe('create', () => {
  const created = data({ create_api_key: { id: NEW_ID, key: NEW } });

  test('a key named ci-<UTC time> for the service account, with the expiry asked; its value masked', async () => {
    const { it } = rotation({ newKeyExpiresInDays: 30 });
    script.create_api_key = [created];
    const masked: string[] = [];
    const before = Date.now();
    const made = await it.create((value) => masked.push(value));
    const input = seen[0]!.variables.input!;
    expect(input.user_id).toBe(SA);
    expect(input.name).toMatch(/^ci-\d{8}T\d{6}Z$/);
    // 30 days from when the key was asked for: between the clock before the call and now.
    expect(Date.parse(input.expires_at!)).toBeGreaterThanOrEqual(before + 30 * 86_400_000 - 1_000); // expires_at may be to the second
    expect(Date.parse(input.expires_at!)).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
    expect(made).toEqual({ id: NEW_ID, value: NEW, expiresAt: input.expires_at });
    expect(masked).toEqual([NEW]);
    expect(ops()).toEqual(['create_api_key']);
    const never = rotation();
    await never.it.create(() => undefined);
    expect(seen[1]!.variables.input!.expires_at).toBeNull();
  });

  test('a refusal, or no key in the answer, is said', async () => {
    script.create_api_key = [problem('FORBIDDEN', 'Not allowed')];
    expect((await rejectionOf(rotation().it.create(() => undefined))).message).toBe(
      `Prefect Cloud 1 refused to create a key for service account ${SA} (FORBIDDEN: Not allowed)`,
    );
    script.create_api_key = [data({ create_api_key: null })];
    expect((await rejectionOf(rotation().it.create(() => undefined))).message).toBe(
      `Prefect Cloud 1 refused to create a key for service account ${SA} (no key in the answer)`,
    );
  });

  test('an answer with a value Prefect does not send: the key made is deleted again, or said to be left', async () => {
    const bad = data({ create_api_key: { id: NEW_ID, key: 'short' } });
    const why = 'create_api_key.key is not a Prefect Cloud 1 key (20 to 200 letters, digits, _ or -)';
    const made = () => list(key(50, createdName(), '2026-12-03T12:00:00Z'));
    for (const [deletes, tidy] of [
      [data({ delete_api_key: { success: true } }), `key ${id(50)} was deleted again`],
      [problem('FORBIDDEN'), `deleting key ${id(50)} failed, so the next run deletes it`],
      [[503, 'down'], `deleting key ${id(50)} failed, so the next run deletes it`],
    ] as [Reply, string][]) {
      script = { create_api_key: [bad], auth_api_key: [made], delete_api_key: [deletes] };
      seen = [];
      expect((await rejectionOf(rotation().it.create(() => undefined))).message).toBe(
        `Prefect Cloud 1 answered the create with a value it does not send (${why}); ${tidy}; the old key still works`,
      );
      expect(deleted()).toEqual([id(50)]);
    }
    for (const listing of [list(key(51, 'ci-20200101T000000Z', '2020-01-01T00:00:00Z')), problem('FORBIDDEN')]) {
      script = { create_api_key: [bad], auth_api_key: [listing] };
      seen = [];
      expect((await rejectionOf(rotation().it.create(() => undefined))).message).toBe(
        `Prefect Cloud 1 answered the create with a value it does not send (${why}); no key of that name is live; the old key still works`,
      );
      expect(deleted()).toEqual([]);
    }
  });

  test('an answer whose key is not new (old-key-id, a key there before, the key this run was given): refused, and that key never deleted', async () => {
    const before = key(1, 'ci-20260101T000000Z', '2026-01-01T00:00:00Z');
    for (const [answered, said] of [
      [{ id: id(7), key: NEW }, `key ${id(7)}, which existed before it`],
      [{ id: id(1), key: NEW }, `key ${id(1)}, which existed before it`],
      [{ id: NEW_ID, key: RUN_KEY }, 'the key this run was given'],
    ] as [{ id: string; key: string }, string][]) {
      const { it } = rotation({ oldKeyId: id(7) });
      script = { auth_api_key: [list(before)] };
      await it.preflight();
      // The create made a key of its name after all: that one, held by nobody, is deleted.
      script = {
        create_api_key: [data({ create_api_key: answered })],
        auth_api_key: [() => list(before, key(50, createdName(), '2026-12-03T12:00:00Z'))],
        delete_api_key: [data({ delete_api_key: { success: true } })],
      };
      seen = [];
      const masked: string[] = [];
      const error = await rejectionOf(it.create((value) => masked.push(value)));
      expect(error).toBeInstanceOf(RotationError);
      expect(error.message).toBe(
        `Prefect Cloud 1 answered the create with ${said}, not a new key, so nothing was written; key ${id(50)} was deleted again; the old key still works`,
      );
      expect(masked).toEqual([answered.key]);
      expect(deleted()).toEqual([id(50)]);
    }
  });

  test('a lost answer: looked for; a key made without its value deleted, then tried again as retries allow', async () => {
    const { it, logged } = rotation({ retries: 1 });
    script = {
      create_api_key: [[503, 'down'], created],
      auth_api_key: [() => list(key(50, createdName(), '2026-12-03T12:00:00Z'))],
      delete_api_key: [data({ delete_api_key: { success: true } })],
    };
    await expect(it.create(() => undefined)).resolves.toMatchObject({ id: NEW_ID });
    expect(ops()).toEqual(['create_api_key', 'auth_api_key', 'delete_api_key', 'create_api_key']);
    expect(logged).toEqual([expect.stringMatching(new RegExp(`^Deleted key ${id(50)}: it was created, but its value never arrived \\(.+\\)\\.$`))]);
  });

  test('an error that is not about the answer is thrown as it is: not taken for a lost answer, nothing looked for', async () => {
    const broken = new Error('the trace broke');
    let traced = 0;
    const { it } = rotation({
      trace: () => {
        traced += 1;
        if (traced === 1) throw broken;
      },
    });
    script = { create_api_key: [created], auth_api_key: [list()] };
    await expect(it.create(() => undefined)).rejects.toBe(broken);
    expect(ops()).toEqual(['create_api_key']);
  });

  test('a lost answer: the reasons it stops', async () => {
    const unknown = /^creating the key did not answer \(.+\); if key ci-\d{8}T\d{6}Z was created, the next run deletes it, as its name is ci-<UTC time> /;
    script = { create_api_key: [[503, 'down']], auth_api_key: [problem('FORBIDDEN')] };
    const unlisted = (await rejectionOf(rotation({ retries: 1 }).it.create(() => undefined))).message;
    expect(unlisted).toMatch(unknown);
    expect(unlisted).toMatch(
      /\(listing keys to look failed: Prefect Cloud 1 would not list API keys \(FORBIDDEN: no\); listing needs the Administrator role, which service accounts have\)$/,
    );
    seen = [];
    script = {
      create_api_key: [[503, 'down']],
      auth_api_key: [() => list(key(50, createdName(), '2026-12-03T12:00:00Z'))],
      delete_api_key: [problem('FORBIDDEN')],
    };
    const stuck = (await rejectionOf(rotation({ retries: 1 }).it.create(() => undefined))).message;
    expect(stuck).toMatch(unknown);
    expect(stuck).toMatch(/ \(it was, and deleting it failed\)$/);
    expect(ops().filter((op) => op === 'create_api_key')).toHaveLength(1);
    seen = [];
    script = { create_api_key: [[503, 'down']], auth_api_key: [list()] };
    const spent = (await rejectionOf(rotation({ retries: 0 }).it.create(() => undefined))).message;
    expect(spent).toMatch(/^creating the key did not answer \(.+\); the old key still works$/);
    expect(ops()).toEqual(['create_api_key', 'auth_api_key']);
    seen = [];
    const counted = (await rejectionOf(rotation({ retries: 2 }).it.create(() => undefined))).message;
    expect(counted).toMatch(/^creating the key did not answer \(.+\); the old key still works$/);
    expect(ops()).toEqual(['create_api_key', 'auth_api_key', 'create_api_key', 'auth_api_key', 'create_api_key', 'auth_api_key']);
  });
});

describe('verify', () => {
  const NEW_KEY: NewKey = { id: NEW_ID, value: NEW, expiresAt: null };
  const who = (user: string) => data({ auth_info: { user_id: user, tenant_id: OTHER } });

  test("the new key is the service account's own, asked as the new key", async () => {
    script.auth_info = [who(SA)];
    await rotation().it.verify(NEW_KEY);
    expect(seen.map((request) => request.authorization)).toEqual([`Bearer ${NEW}`]);
    script.auth_info = [who(OTHER)];
    const error = await rejectionOf(rotation().it.verify(NEW_KEY));
    expect(error).toBeInstanceOf(RotationError);
    expect(error.message).toBe(`the new key belongs to ${OTHER}, not to service account ${SA}`);
  });

  test('not accepted yet is asked again as retries allow; another refusal is not', async () => {
    seen = [];
    script.auth_info = [problem('UNAUTHENTICATED'), who(SA)];
    await rotation({ retries: 1 }).it.verify(NEW_KEY);
    expect(ops()).toEqual(['auth_info', 'auth_info']);
    for (const [reply, code, retries, asked] of [
      [problem('UNAUTHENTICATED'), 'UNAUTHENTICATED', 0, 1],
      [problem('UNAUTHENTICATED'), 'UNAUTHENTICATED', 2, 3],
      [problem('FORBIDDEN'), 'FORBIDDEN', 3, 1],
      [data({ auth_info: null }), 'no auth_info', 3, 1],
    ] as [Reply, string, number, number][]) {
      seen = [];
      script.auth_info = [reply];
      expect((await rejectionOf(rotation({ retries }).it.verify(NEW_KEY))).message).toBe(`Prefect Cloud 1 does not accept the new key (${code})`);
      expect(seen).toHaveLength(asked);
    }
  });

  test("rollback keeps a reserve of its own: with the step's deadline spent (the writes' retries spent it), the delete is still sent", async () => {
    const NEW_KEY_ID = { id: NEW_ID, value: NEW, expiresAt: null };
    // The policy's clock stands past the deadline, as after a secret write retried until the deadline.
    const spent = graphqlRotation({
      api: { url: new URL(`${loopback()}/graphql`), apiKey: RUN_KEY, policy: { ...quickPolicy(2), deadline: deadlineIn(-1_000) } },
      actorId: ACTOR,
      serviceAccountId: SA,
      keyName: 'ci',
      graceSeconds: 0,
      log: () => undefined,
    });
    script.delete_api_key = [[502, 'busy'], data({ delete_api_key: { success: true } })];
    await expect(spent.rollback(NEW_KEY_ID)).resolves.toBe(true);
    expect(deleted()).toEqual([NEW_ID, NEW_ID]);
  });

  test('rollback deletes the new key; false when it could not', async () => {
    const NEW_KEY_ID = { id: NEW_ID, value: NEW, expiresAt: null };
    script.delete_api_key = [data({ delete_api_key: { success: true } })];
    await expect(rotation().it.rollback(NEW_KEY_ID)).resolves.toBe(true);
    expect(deleted()).toEqual([NEW_ID]);
    script.delete_api_key = [problem('FORBIDDEN')];
    await expect(rotation().it.rollback(NEW_KEY_ID)).resolves.toBe(false);
    script.delete_api_key = [[502, 'down']];
    await expect(rotation().it.rollback(NEW_KEY_ID)).resolves.toBe(false);
    expect(rotation().it.oldKeyStanding()).toBe('the old key still works.');
  });
});

describe('retire', () => {
  const NEW_KEY: NewKey = { id: NEW_ID, value: NEW, expiresAt: null };
  const mine = key(99, 'ci-20261203T120000Z', '2026-12-03T12:00:00Z');
  const ok = data({ delete_api_key: { success: true } });

  test("this action's older keys and old-key-id revoked, as the new key; others kept", async () => {
    script = {
      auth_api_key: [
        list(
          mine,
          key(1, 'ci-20261101T000000Z', '2026-11-01T00:00:00Z'),
          key(2, 'manual', '2026-01-01T00:00:00Z'),
          key(3, 'other', '2026-01-01T00:00:00Z'),
          key(4, 'ci-20261101T000000Z', '2026-11-01T00:00:00Z', OTHER),
        ),
      ],
      delete_api_key: [ok],
    };
    const retirement = await rotation({ oldKeyId: id(2) }).it.retire(NEW_KEY);
    expect(retirement).toEqual({ revoked: true, detail: `Revoked old key ${id(1)}, ${id(2)}.`, failure: undefined });
    expect(deleted().sort()).toEqual([id(1), id(2)]);
    expect(seen.every((request) => request.authorization === `Bearer ${NEW}`)).toBe(true);
  });

  test("keys younger than the grace, on Prefect's clock, are kept for a later run", async () => {
    script = {
      auth_api_key: [list(mine, key(1, 'ci-20261203T110000Z', '2026-12-03T11:00:00Z'), key(2, 'ci-20261203T115900Z', '2026-12-03T11:59:01Z'))],
      delete_api_key: [ok],
    };
    await expect(rotation({ graceSeconds: 60 * 60 }).it.retire(NEW_KEY)).resolves.toEqual({
      revoked: false,
      detail: `Revoked old key ${id(1)}. Kept ${id(2)}: younger than old-key-grace-seconds (3600 s), for a later run to revoke.`,
      failure: undefined,
    });
    seen = [];
    script.auth_api_key = [list(mine, key(2, 'ci-20261203T115900Z', '2026-12-03T11:59:01Z'))];
    await expect(rotation({ graceSeconds: 60 }).it.retire(NEW_KEY)).resolves.toEqual({
      revoked: false,
      detail: `Revoked no old key. Kept ${id(2)}: younger than old-key-grace-seconds (60 s), for a later run to revoke.`,
      failure: undefined,
    });
    script.auth_api_key = [list(mine, key(2, 'ci-20261203T115900Z', '2026-12-03T11:59:00Z'))];
    await expect(rotation({ graceSeconds: 60 }).it.retire(NEW_KEY)).resolves.toMatchObject({ revoked: true });
  });

  test("the new key not listed: ages against the runner's clock", async () => {
    script = { auth_api_key: [list(key(1, 'ci-20261203T110000Z', new Date(Date.now() - 30_000).toISOString()))], delete_api_key: [ok] };
    await expect(rotation({ graceSeconds: 60 }).it.retire(NEW_KEY)).resolves.toMatchObject({
      revoked: false,
      detail: expect.stringMatching(/^Revoked no old key\. Kept /) as unknown,
    });
    script.auth_api_key = [list(key(1, 'ci-20261203T110000Z', new Date(Date.now() - 120_000).toISOString()))];
    await expect(rotation({ graceSeconds: 60 }).it.retire(NEW_KEY)).resolves.toMatchObject({ revoked: true });
  });

  test("this run's own lost create is revoked whatever the grace; a key known before is not", async () => {
    const { it } = rotation({ graceSeconds: 3600, retries: 1 });
    script = { auth_api_key: [list(key(1, 'ci-20261203T115959Z', '2026-12-03T11:59:59Z'))] };
    await it.preflight();
    script = {
      create_api_key: [[503, 'down'], data({ create_api_key: { id: NEW_ID, key: NEW } })],
      auth_api_key: [list()],
    };
    await it.create(() => undefined);
    // The lost create landed after the look: listed now, with this run's name.
    const name = createdName();
    script = {
      auth_api_key: [() => list({ ...mine, name }, key(1, 'ci-20261203T115959Z', '2026-12-03T11:59:59Z'), key(60, name, '2026-12-03T12:00:00Z'))],
      delete_api_key: [ok],
    };
    seen = [];
    const retirement = await it.retire(NEW_KEY);
    expect(deleted()).toEqual([id(60)]);
    expect(retirement.detail).toBe(`Revoked old key ${id(60)}. Kept ${id(1)}: younger than old-key-grace-seconds (3600 s), for a later run to revoke.`);
  });

  test("a key known before with this run's name (another run in the same second) is not taken for a lost create", async () => {
    const { it } = rotation({ graceSeconds: 3600 });
    // Named for each of the next seconds, so that one bears the name the create gives.
    const start = Date.now();
    const same = Array.from({ length: 5 }, (_, n) => key(70 + n, `ci-${keyStamp(new Date(start + n * 1000))}`, '2026-12-03T11:59:59Z'));
    script = { auth_api_key: [list(...same)] };
    await it.preflight();
    script = { create_api_key: [data({ create_api_key: { id: NEW_ID, key: NEW } })] };
    await it.create(() => undefined);
    expect(same.map((known) => known.name)).toContain(createdName());
    script = { auth_api_key: [list(mine, ...same)], delete_api_key: [ok] };
    seen = [];
    const retirement = await it.retire(NEW_KEY);
    expect(deleted()).toEqual([]);
    expect(retirement.detail).toBe(
      `Revoked no old key. Kept ${same.map((known) => known.id).join(', ')}: younger than old-key-grace-seconds (3600 s), for a later run to revoke.`,
    );
  });

  test('no old key: a warning to give old-key-id', async () => {
    script = { auth_api_key: [list(mine, key(2, 'manual', '2026-01-01T00:00:00Z'))] };
    const detail = 'No old key to revoke: none is named ci-<UTC time> and old-key-id was not given.';
    await expect(rotation().it.retire(NEW_KEY)).resolves.toEqual({
      revoked: false,
      detail,
      warning: `${detail} A key this action did not create stays live until it is deleted: give its id as old-key-id.`,
    });
  });

  test('listing fails: the old key was not revoked, and the step says to run again', async () => {
    script = { auth_api_key: [problem('FORBIDDEN', 'Unauthorized')] };
    const reason = 'Prefect Cloud 1 would not list API keys (FORBIDDEN: Unauthorized); listing needs the Administrator role, which service accounts have';
    await expect(rotation().it.retire(NEW_KEY)).resolves.toEqual({
      revoked: false,
      detail: `Listing keys to revoke the old key failed (${reason}).`,
      failure: `The secrets hold the new key, but the old key was not revoked: listing keys failed (${reason}). Run the workflow again to revoke it.`,
    });
  });

  test('a failed delete is looked at again: gone is revoked; still live, or not known, is a failure', async () => {
    const old = key(1, 'ci-20261101T000000Z', '2026-11-01T00:00:00Z');
    const other = key(2, 'ci-20261102T000000Z', '2026-11-02T00:00:00Z');
    const deletes = (request: Request): Reply => (request.variables.input?.key_id === id(1) ? [502, 'lost'] : ok);
    script = { auth_api_key: [list(mine, old, other), list(mine)], delete_api_key: [deletes] };
    await expect(rotation().it.retire(NEW_KEY)).resolves.toEqual({ revoked: true, detail: `Revoked old key ${id(1)}, ${id(2)}.`, failure: undefined });
    const failed = `The secrets hold the new key, but old key ${id(1)} could not be revoked. Run the workflow again, or delete it in Prefect Cloud 1.`;
    for (const relisted of [list(mine, old), problem('FORBIDDEN')]) {
      script = { auth_api_key: [list(mine, old, other), relisted], delete_api_key: [deletes] };
      await expect(rotation().it.retire(NEW_KEY)).resolves.toEqual({ revoked: false, detail: `Revoked old key ${id(2)}.`, failure: failed });
    }
    // Two that could not be revoked: both named.
    script = { auth_api_key: [list(mine, old, other)], delete_api_key: [[502, 'lost']] };
    await expect(rotation().it.retire(NEW_KEY)).resolves.toEqual({
      revoked: false,
      detail: 'Revoked no old key.',
      failure: `The secrets hold the new key, but old key ${id(1)}, ${id(2)} could not be revoked. Run the workflow again, or delete it in Prefect Cloud 1.`,
    });
  });
});
