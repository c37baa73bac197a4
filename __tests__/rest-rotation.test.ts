// Rotation through today's REST API (src/rotate/rest-rotation.ts) against a
// loopback server scripted per request: the pre-flight's permission check,
// the rotation sent once and a lost answer looked into (never sent again
// unless a rate limit refused it unread), the new key's own check, and what
// the retirement proves from Prefect's read of the keys.

import { restRotation, WATCH_MS } from '../src/rotate/rest-rotation.ts';
import { BotRefusal, NEEDS_UPDATE_BOT } from '../src/prefect/bots.ts';
import { RotationError, type NewKey } from '../src/rotate/plan.ts';
import { answer, inTurn, quickPolicy, useLoopback, type Received, type Reply } from './support/loopback.ts';
import { rejectionOf } from './support/rejection.ts';
import { deadlineIn, skippingClock, steppedClock } from './support/clock.ts';

const KEY = 'pnu_abcdefghijklmnopqrstuvwxyz0123456789';
const NEW = 'pnb_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const A = '0f4a3b1c-9d2e-4f60-8a7b-1c2d3e4f5a6b';
const W = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const B = '11111111-2222-4333-8444-555555555555';
const OLD_ID = '22222222-3333-4444-8555-666666666666';
const NEW_ID = '33333333-4444-4555-8666-777777777777';
const OTHER_ID = '44444444-5555-4666-8777-888888888888';

const BOT = `/api/accounts/${A}/bots/${B}`;
const PERMISSIONS = `/api/me/accounts/${A}/permissions`;
const ROTATE = `POST ${BOT}/rotate_api_key`;
const KEYS = `${BOT}/read_bot_api_keys`;
const MINE = '/api/me/workspaces';
const HEALTH = `/api/accounts/${A}/workspaces/${W}/health`;

/** Replies per `METHOD path` (GET may be left out), used in turn; the last one repeats. */
let script: Record<string, Reply[]> = {};
let seen: Received[] = [];
const origin = useLoopback((request, response) => {
  seen.push(request);
  const route = request.method === 'GET' ? request.url : `${request.method} ${request.url}`;
  const replies = script[route] ?? [[599, 'unscripted']];
  const reply = inTurn(replies);
  // Prefect's rate limit says how long to wait.
  if (reply[0] === 429) response.setHeader('retry-after', '1');
  answer(response, reply);
});
beforeEach(() => {
  script = {};
  seen = [];
});
const routes = () => seen.map((request) => (request.method === 'GET' ? request.url : `${request.method} ${request.url}`));

const bot = (keyId: string | null = OLD_ID, created = '2026-01-01T00:00:00Z'): Reply => [
  200,
  { id: B, name: 'deploy', api_key: keyId === null ? null : { id: keyId, expiration: '2027-06-01T00:00:00Z', created } },
];
const rotated = (expiration: string | null = null): Reply => [201, { api_key: { id: NEW_ID, key: NEW, expiration } }];
const keys = (active: string | null, rotating: { id: string; expiration: string | null }[] = []): Reply => [
  200,
  { active_key: active === null ? null : { id: active, expiration: null }, rotating_keys: rotating },
];
const NEW_KEY: NewKey = { id: NEW_ID, value: NEW, expiresAt: null };
const workspace = (account: string, id: string) => ({ account_id: account, account_handle: 'acme', workspace_id: id, workspace_handle: 'prod' });
const member = (account = A, id = W): Reply => [200, [workspace(account, id)]];

function rotation(options: { graceSeconds?: number; newKeyExpiresInDays?: number; retries?: number; steppedFrom?: number } = {}) {
  const logged: string[] = [];
  // The policy's clock skips what it sleeps: a watch of seconds takes none. Stepped, it stands still between sleeps,
  // so that times said can be asserted exactly.
  const { clock, sleeps } = options.steppedFrom === undefined ? skippingClock() : steppedClock(options.steppedFrom);
  const policy = { ...quickPolicy(options.retries ?? 0), clock, deadline: deadlineIn(10_000, clock) };
  const it = restRotation({
    api: { base: new URL(`${origin()}/api/`), apiKey: KEY, policy },
    accountId: A,
    workspaceId: W,
    botId: B,
    graceSeconds: options.graceSeconds ?? 3600,
    newKeyExpiresInDays: options.newKeyExpiresInDays,
    log: (line) => logged.push(line),
  });
  return { it, logged, sleeps, clock };
}

async function ready(options: Parameters<typeof rotation>[0] = {}, botReply: Reply = bot()) {
  script[BOT] = [botReply];
  script[PERMISSIONS] = [[200, ['update:bot']]];
  const made = rotation(options);
  await made.it.preflight();
  seen = [];
  return made;
}

describe('preflight', () => {
  test('reads the bot and the permissions at once; the plan then names the bot', async () => {
    const { it } = rotation();
    expect(it.describe()).toEqual({
      create: `rotate the key of service account ${B} (${B}) through the REST API`,
      retire: 'let Prefect retire the old key 3600 s after the rotation',
    });
    script = { [BOT]: [bot()], [PERMISSIONS]: [[200, ['read:bot', 'update:bot']]] };
    await it.preflight();
    expect(routes().sort()).toEqual([BOT, PERMISSIONS].sort());
    expect(it.describe().create).toBe(`rotate the key of service account deploy (${B}) through the REST API`);
    expect(it.currentKeyExpiration()).toBe('2027-06-01T00:00:00.000Z');
    expect(rotation({ graceSeconds: 0 }).it.describe()).toEqual({
      create: `rotate the key of service account ${B} (${B}) through the REST API, the old key stopping at once (no grace period)`,
      retire: 'nothing is left to retire',
    });
  });

  test('a key without update:bot is refused before anything changes; Prefect not saying is no refusal', async () => {
    script = { [BOT]: [bot()], [PERMISSIONS]: [[200, ['read:bot']]] };
    const error = await rejectionOf(rotation().it.preflight());
    expect(error).toBeInstanceOf(RotationError);
    expect(error.message).toBe(`The API key's user or service account lacks the account permission update:bot: ${NEEDS_UPDATE_BOT}`);
    script = { [BOT]: [bot(null)], [PERMISSIONS]: [[403, { detail: 'no' }]] };
    const { it } = rotation();
    await it.preflight();
    expect(it.currentKeyExpiration()).toBeUndefined();
  });

  test('recentRotation: a key made within the grace period, else none', async () => {
    const created = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const at = Date.parse(created);
    const recent = await ready({}, bot(OLD_ID, created));
    expect(recent.it.recentRotation!()).toEqual({ at, graceEnds: at + 3_600_000 });
    expect((await ready({ graceSeconds: 59 }, bot(OLD_ID, created))).it.recentRotation!()).toBeUndefined();
    expect((await ready({ graceSeconds: 0 }, bot(OLD_ID, created))).it.recentRotation!()).toBeUndefined();
    // Prefect's clock a little ahead of the runner's: with no grace period there is no recent rotation to wait for.
    const ahead = new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect((await ready({ graceSeconds: 0 }, bot(OLD_ID, ahead))).it.recentRotation!()).toBeUndefined();
    expect((await ready({}, bot(OLD_ID))).it.recentRotation!()).toBeUndefined();
    expect((await ready({}, bot(null))).it.recentRotation!()).toBeUndefined();
  });

  test("recentRotation: the grace period's end, to the millisecond, is past it", async () => {
    const at = Date.parse('2026-01-01T00:00:00Z');
    const within = await ready({ steppedFrom: at + 3_599_999 }, bot(OLD_ID, '2026-01-01T00:00:00Z'));
    expect(within.it.recentRotation!()).toEqual({ at, graceEnds: at + 3_600_000 });
    const ended = await ready({ steppedFrom: at + 3_600_000 }, bot(OLD_ID, '2026-01-01T00:00:00Z'));
    expect(ended.it.recentRotation!()).toBeUndefined();
  });
});

describe('create', () => {
  test("sent once with the key's expiry and the grace; the value masked; the old key's end from then", async () => {
    const { it } = await ready({ newKeyExpiresInDays: 30 });
    expect(it.oldKeyStanding()).toBe('the old key still works.');
    script[ROTATE] = [rotated('2027-01-01T00:00:00Z')];
    const masked: string[] = [];
    const before = Date.now();
    await expect(it.create((value) => masked.push(value))).resolves.toEqual({ id: NEW_ID, value: NEW, expiresAt: '2027-01-01T00:00:00.000Z' });
    expect(masked).toEqual([NEW]);
    expect(routes()).toEqual([ROTATE]);
    const body = JSON.parse(seen[0]!.body) as { api_key_expiration: string; old_key_expires_in_seconds: number };
    expect(body.old_key_expires_in_seconds).toBe(3600);
    // 30 days from when the request was made: between the clock before the call and now.
    expect(Date.parse(body.api_key_expiration)).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
    expect(Date.parse(body.api_key_expiration)).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
    expect(it.oldKeyStanding()).toMatch(/^the old key keeps working until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\.$/);
    expect(Date.parse(it.oldKeyStanding().slice(32, -1)) - before).toBeGreaterThanOrEqual(3_600_000);
    const now = await ready({ graceSeconds: 0 });
    script[ROTATE] = [rotated()];
    await now.it.create(() => undefined);
    expect(JSON.parse(seen[0]!.body)).toEqual({ api_key_expiration: null, old_key_expires_in_seconds: null });
    expect(now.it.oldKeyStanding()).toBe('the old key stopped working at the rotation (old-key-grace-seconds: 0).');
  });

  test('an answer Prefect would not send: rotated, but the key is unusable; a refusal is passed on', async () => {
    const { it } = await ready({ graceSeconds: 0 });
    script[ROTATE] = [[201, { api_key: { id: NEW_ID, key: 'pnb_short' } }]];
    expect((await rejectionOf(it.create(() => undefined))).message).toBe(
      'Prefect Cloud rotated the key but answered with a value it does not send (the new key is not a Prefect Cloud key (pnb_ or pnu_ and 36 letters or digits)), so the new key cannot be used; the old key stopped working at the rotation (old-key-grace-seconds: 0).',
    );
    script[ROTATE] = [[403, { detail: 'Forbidden' }]];
    expect(await rejectionOf(it.create(() => undefined))).toBeInstanceOf(BotRefusal);
  });

  test('a lost answer, then the key changed: it happened, so it rotates once more, replacing the key nobody has', async () => {
    const { it, logged, sleeps } = await ready({ newKeyExpiresInDays: 30 });
    script[ROTATE] = [[503, 'down'], rotated()];
    script[BOT] = [bot(), bot(OTHER_ID)];
    const masked: string[] = [];
    await expect(it.create((value) => masked.push(value))).resolves.toEqual(NEW_KEY);
    expect(masked).toEqual([NEW]);
    expect(routes()).toEqual([ROTATE, BOT, BOT, ROTATE]);
    // The same request: the grace period, and the key's expiry counted from when it is made.
    const [first, second] = [seen[0]!, seen[3]!].map(
      (request) => JSON.parse(request.body) as { api_key_expiration: string; old_key_expires_in_seconds: number },
    );
    expect(second!.old_key_expires_in_seconds).toBe(3600);
    expect(first!.old_key_expires_in_seconds).toBe(3600);
    // Counted again when the second is made: no earlier than the first's, no later than now plus 30 days, on the
    // policy's clock (the process's time plus the waits it skipped).
    const clockNow = Date.now() + sleeps.reduce((sum, ms) => sum + ms, 0);
    expect(Date.parse(second!.api_key_expiration)).toBeGreaterThanOrEqual(Date.parse(first!.api_key_expiration));
    expect(Date.parse(second!.api_key_expiration)).toBeLessThanOrEqual(clockNow + 30 * 86_400_000);
    expect(logged).toEqual([
      expect.stringMatching(
        new RegExp(
          `^The rotation happened, but its answer was lost \\(HTTP 503 .+\\): Prefect's active key is now ${OTHER_ID}, whose value never arrived\\. Rotating once more, replacing that key, for a key the secrets can hold\\.$`,
        ),
      ),
    ]);
  });

  test('a lost answer, then no active key at all: said so, and rotated once more', async () => {
    const { it, logged } = await ready();
    script[ROTATE] = [[503, 'down'], rotated()];
    script[BOT] = [bot(null)];
    await expect(it.create(() => undefined)).resolves.toEqual(NEW_KEY);
    expect(routes()).toEqual([ROTATE, BOT, ROTATE]);
    expect(logged).toEqual([expect.stringMatching(/\): Prefect's active key is now none, whose value never arrived\. Rotating once more, /)]);
  });

  test('withoutHolders: within the grace period, says a run before its end refuses; with none, a run finishes the job', async () => {
    const { it } = await ready();
    expect(it.withoutHolders!()).toBeUndefined();
    script[ROTATE] = [rotated()];
    await it.create(() => undefined);
    const end = /^the old key keeps working until (\S+)\.$/.exec(it.oldKeyStanding())![1];
    expect(it.withoutHolders!()).toBe(
      `Unless a secret holds it, a run of the workflow before ${end} refuses to rotate again, as it cannot tell this run's key from one another workflow's secrets hold: write new-api-key to the secrets in a following step, or run the workflow after then, when the old key has stopped working too.`,
    );
    const none = await ready({ graceSeconds: 0 });
    script[ROTATE] = [rotated()];
    await none.it.create(() => undefined);
    expect(none.it.withoutHolders!()).toBeUndefined();
  });

  test('a lost answer confirmed, and the second rotation failing: no advice that the next run refuses', async () => {
    // Lost twice: the old key's end as Prefect holds it; when to run again, and what a run before then does.
    const twice = await ready();
    script[ROTATE] = [[503, 'down']];
    script[BOT] = [bot(OTHER_ID), bot(NEW_ID)];
    script[KEYS] = [keys(NEW_ID, [{ id: OLD_ID, expiration: '2026-12-03T13:00:00Z' }])];
    const error = await rejectionOf(twice.it.create(() => undefined));
    expect(error).toBeInstanceOf(RotationError);
    expect(error.message).toMatch(
      /^the rotation happened, but its answer was lost \(HTTP 503 .+\), and rotating once more failed: its answer was lost too \(HTTP 503 .+\)\. Prefect holds a new key that nobody has, and the secrets still hold the old key: the old key keeps working until 2026-12-03T13:00:00\.000Z\. A run before \d{4}-.+Z refuses to rotate again, as it cannot tell that key from one another workflow's secrets hold; a run after then rotates and writes the secrets, which from the old key's end until that run hold a key that no longer works\. To close that gap, rotate the key in Prefect Cloud and write it to the secrets by hand\.$/,
    );
    expect(error.message).not.toMatch(/before it stops/);
    expect(routes()).toEqual([ROTATE, BOT, ROTATE, BOT, KEYS]);
    // On a clock that stands still: the end Prefect holds for the old key (not another key's among those rotating, and
    // computed from the grace period when Prefect gives it none), and when a run stops refusing, exactly.
    const T = Date.parse('2026-12-03T12:00:00Z');
    for (const [rotating, end] of [
      [
        [
          { id: OTHER_ID, expiration: '2026-12-03T12:30:00Z' },
          { id: OLD_ID, expiration: '2026-12-03T12:59:00Z' },
        ],
        '2026-12-03T12:59:00.000Z',
      ],
      [[{ id: OLD_ID, expiration: null }], '2026-12-03T13:00:00.000Z'],
    ] as [{ id: string; expiration: string | null }[], string][]) {
      const exact = await ready({ steppedFrom: T });
      script[ROTATE] = [[503, 'down']];
      script[BOT] = [bot(OTHER_ID), bot(NEW_ID)];
      script[KEYS] = [keys(NEW_ID, rotating)];
      const message = (await rejectionOf(exact.it.create(() => undefined))).message;
      expect(exact.sleeps).toEqual([]);
      expect(message).toContain(
        `the secrets still hold the old key: the old key keeps working until ${end}. A run before 2026-12-03T13:00:00.000Z refuses to rotate again, `,
      );
    }
    // Refused the second time; Prefect will not list the keys: the end computed from the grace period.
    const refused = await ready();
    script[ROTATE] = [
      [503, 'down'],
      [403, { detail: 'Forbidden' }],
    ];
    script[BOT] = [bot(OTHER_ID)];
    script[KEYS] = [[500, 'down']];
    expect((await rejectionOf(refused.it.create(() => undefined))).message).toMatch(
      /, and rotating once more failed: .+\. Prefect holds a new key that nobody has, and the secrets still hold the old key: the old key keeps working until \d{4}-.+Z\. A run before \d{4}-.+Z refuses/,
    );
    // No grace period: the old key is gone already, and a run now is not refused.
    const none = await ready({ graceSeconds: 0 });
    script[ROTATE] = [[503, 'down']];
    script[BOT] = [bot(OTHER_ID), bot(NEW_ID)];
    expect((await rejectionOf(none.it.create(() => undefined))).message).toMatch(
      /and the secrets still hold the old key: the old key stopped working at the rotation \(old-key-grace-seconds: 0\), so the secrets hold a key that no longer works: run the workflow again now, to rotate and write them\.$/,
    );
  });

  test('an answer whose key is not new (the key it replaces, the key this run was given) is refused, nothing returned', async () => {
    for (const [reply, said] of [
      [[201, { api_key: { id: OLD_ID, key: NEW, expiration: null } }], `key ${OLD_ID}, which it replaces`],
      [[201, { api_key: { id: NEW_ID, key: KEY, expiration: null } }], 'the key this run was given'],
    ] as [Reply, string][]) {
      const { it } = await ready();
      script[ROTATE] = [reply];
      const error = await rejectionOf(it.create(() => undefined));
      expect(error).toBeInstanceOf(RotationError);
      expect(error.message).toMatch(
        new RegExp(
          `^Prefect Cloud answered the rotation with ${said}, not a new key, so nothing was written; the answer is not one Prefect sends, so what it did is unknown: the old key keeps working until \\d{4}-.+Z\\.$`,
        ),
      );
      expect(error.message).not.toContain(KEY);
    }
    // The second rotation, after a lost answer, answering with the key nobody has, or with the key the run began
    // with (which the first replaced): refused too.
    for (const answered of [OTHER_ID, OLD_ID]) {
      const { it } = await ready();
      script[ROTATE] = [
        [503, 'down'],
        [201, { api_key: { id: answered, key: NEW, expiration: null } }],
      ];
      script[BOT] = [bot(OTHER_ID)];
      script[KEYS] = [keys(OTHER_ID, [{ id: OLD_ID, expiration: '2026-12-03T13:00:00Z' }])];
      expect((await rejectionOf(it.create(() => undefined))).message).toMatch(
        new RegExp(`rotating once more failed: Prefect Cloud answered the rotation with key ${answered}, which it replaces, not a new key`),
      );
    }
  });

  test('a lost answer, and the bot cannot be read: it may have happened', async () => {
    for (const [graceSeconds, end] of [
      [
        3600,
        /; if it did not, a run of the workflow rotates; if it did, Prefect holds a new key that nobody has, the old key the secrets hold stops working about \d{4}-.+Z, and a run before then refuses to rotate again, as it cannot tell that key from one another workflow's secrets hold\.$/,
      ],
      [0, /; if it did, the old key stopped working then and the secrets still hold it\. Run the workflow again now, to rotate and write them\.$/],
    ] as [number, RegExp][]) {
      const { it } = await ready({ graceSeconds });
      script[ROTATE] = [[503, 'down']];
      script[BOT] = [[500, { detail: 'busy' }]];
      const error = await rejectionOf(it.create(() => undefined));
      expect(error.message).toMatch(
        /^the rotation did not answer \(.+\) and Prefect could not be asked since \(HTTP 500 \(1 attempt\)\): it may have happened; /,
      );
      expect(error.message).toMatch(end);
      expect(routes().filter((route) => route === ROTATE)).toHaveLength(1);
    }
  });

  test(`a lost answer and no change for ${WATCH_MS / 1000} s: most likely not done, and not sent again`, async () => {
    const { it, sleeps } = await ready({ retries: 3, steppedFrom: Date.parse('2026-12-03T12:00:00Z') });
    script[ROTATE] = [[503, 'down']];
    script[BOT] = [bot()];
    const error = await rejectionOf(it.create(() => undefined));
    // Watched on the policy's clock, a look a second from the lost answer on; none at WATCH_MS, the watch's end.
    const looks = WATCH_MS / 1_000;
    expect(sleeps).toEqual(Array<number>(looks - 1).fill(1_000));
    expect(routes()).toEqual([ROTATE, ...Array<string>(looks).fill(BOT)]);
    expect(error.message).toMatch(
      /^the rotation did not answer \(.+\), and 5 s later Prefect still shows the old key as active: it most likely did not happen, and it is not sent again while it might still land\. If it lands, the old key stops working 3600 s after that; the secrets hold the old key\.$/,
    );
  });

  test('a 429 is refused unread: one look, then sent again after the wait it asks, as retries allow', async () => {
    const { it, sleeps } = await ready({ retries: 1 });
    script[ROTATE] = [[429, { detail: 'slow down' }], rotated()];
    script[BOT] = [bot()];
    await expect(it.create(() => undefined)).resolves.toMatchObject({ id: NEW_ID });
    expect(routes()).toEqual([ROTATE, BOT, ROTATE]);
    expect(sleeps).toEqual([1_000]); // the Retry-After of the 429
    // Refused every time: sent again only as often as retries allow.
    const limited = await ready({ retries: 1 });
    script[ROTATE] = [[429, { detail: 'slow down' }]];
    script[BOT] = [bot()];
    expect((await rejectionOf(limited.it.create(() => undefined))).message).toMatch(
      /^the rotation did not answer \(HTTP 429 .+: it most likely did not happen/,
    );
    expect(routes()).toEqual([ROTATE, BOT, ROTATE, BOT]);
    expect(limited.sleeps).toEqual([1_000]);
    const spent = await ready({ graceSeconds: 0 });
    script[ROTATE] = [[429, { detail: 'slow down' }]];
    script[BOT] = [bot()];
    expect((await rejectionOf(spent.it.create(() => undefined))).message).toMatch(
      /If it lands, the old key stops working at once; the secrets hold the old key\.$/,
    );
    expect(routes()).toEqual([ROTATE, BOT]);
  });
});

describe('verify', () => {
  test('the new key authenticates, and where its service account is a member, the workspace answers', async () => {
    const { it, logged, sleeps } = await ready({ retries: 1 });
    script[MINE] = [[401, { detail: 'not yet' }], member()];
    script[HEALTH] = [[200, {}]];
    await it.verify(NEW_KEY);
    expect(routes()).toEqual([MINE, MINE, HEALTH]);
    expect(seen.every((request) => request.headers.authorization === `Bearer ${NEW}`)).toBe(true);
    expect(logged).toEqual([]);
    expect(sleeps).toEqual([1000]); // a moment for the new key to be known everywhere
  });

  test('a member among other workspaces: the workspace answers', async () => {
    const { it, logged } = await ready();
    script[MINE] = [[200, [workspace(A, B), workspace(A, W)]]];
    script[HEALTH] = [[200, {}]];
    await it.verify(NEW_KEY);
    expect(routes()).toEqual([MINE, HEALTH]);
    expect(logged).toEqual([]);
  });

  test('not a member of the checked workspace: said, and its health not asked', async () => {
    for (const other of [member(B, W), member(A, B)]) {
      const { it, logged } = await ready();
      script[MINE] = [other];
      await it.verify(NEW_KEY);
      expect(routes()).toEqual([MINE]);
      expect(logged).toEqual(['The new key authenticates; service account deploy is not a member of the checked workspace, so its health check is not asked.']);
    }
  });

  test('a new key never accepted: the reason, once the retries are spent', async () => {
    const { it } = await ready({ retries: 1 });
    script[MINE] = [[401, { detail: 'not yet' }]];
    expect((await rejectionOf(it.verify(NEW_KEY))).message).toMatch(/^the new key is not accepted yet \(HTTP 401\) \(2 attempts\)/);
    expect(routes()).toEqual([MINE, MINE]);
  });

  test('a refusal of the new key fails the check', async () => {
    const { it } = await ready({ retries: 1 });
    script[MINE] = [[403, { detail: 'no' }]];
    expect((await rejectionOf(it.verify(NEW_KEY))).message).toBe('Prefect Cloud answered HTTP 403 to the new key');
    script[MINE] = [member()];
    script[HEALTH] = [[404, { detail: 'no' }]];
    const error = await rejectionOf(it.verify(NEW_KEY));
    expect(error).toBeInstanceOf(RotationError);
    expect(error.message).toBe("the workspace's health check answered HTTP 404 to the new key");
    expect(await it.rollback(NEW_KEY)).toBe(false);
  });
});

describe('retire', () => {
  test('the new key active and the old one gone: revoked', async () => {
    const { it } = await ready();
    script[KEYS] = [keys(NEW_ID)];
    await expect(it.retire(NEW_KEY)).resolves.toEqual({ revoked: true, detail: 'The old key no longer works.' });
    const now = await ready({ graceSeconds: 0 });
    script[KEYS] = [keys(NEW_ID, [{ id: OTHER_ID, expiration: null }])];
    await expect(now.it.retire(NEW_KEY)).resolves.toEqual({
      revoked: true,
      detail: 'The old key: the old key stopped working at the rotation (old-key-grace-seconds: 0).',
    });
  });

  test('the old key in its grace: its end as Prefect holds it; none is a failure', async () => {
    const { it } = await ready();
    script[KEYS] = [keys(NEW_ID, [{ id: OLD_ID, expiration: '2026-12-03T13:00:00Z' }])];
    await expect(it.retire(NEW_KEY)).resolves.toEqual({
      revoked: false,
      expiresAt: '2026-12-03T13:00:00.000Z',
      detail: 'The old key keeps working until 2026-12-03T13:00:00.000Z, as Prefect Cloud holds it; then it retires.',
    });
    script[KEYS] = [keys(NEW_ID, [{ id: OLD_ID, expiration: null }])];
    // An old key left working with no end is not a finished rotation: the step fails and says so.
    await expect(it.retire(NEW_KEY)).resolves.toEqual({
      revoked: false,
      detail: 'The old key keeps working: Prefect Cloud gives it no end.',
      failure: `The secrets hold the new key, but Prefect Cloud gives old key ${OLD_ID} no end, so it keeps working. Delete it in Prefect Cloud (service account deploy, API keys).`,
    });
  });

  test("another rotation replaced this run's key: how long the written key still works", async () => {
    for (const [rotating, works] of [
      [[{ id: NEW_ID, expiration: '2026-12-03T13:00:00Z' }], 'until 2026-12-03T13:00:00.000Z'],
      [[{ id: NEW_ID, expiration: null }], 'for now'],
      [
        [
          { id: OLD_ID, expiration: '2026-12-03T12:30:00Z' },
          { id: NEW_ID, expiration: '2026-12-03T13:00:00Z' },
        ],
        'until 2026-12-03T13:00:00.000Z',
      ],
      [[], 'no longer'],
    ] as [{ id: string; expiration: string | null }[], string][]) {
      const { it } = await ready();
      script[KEYS] = [keys(OTHER_ID, rotating)];
      await expect(it.retire(NEW_KEY)).resolves.toEqual({
        revoked: false,
        replaced: true,
        detail: "Another rotation replaced this run's key after it was written.",
        failure: `Another rotation of service account deploy replaced this run's key after it was written (its active key is now ${OTHER_ID}): the secrets hold key ${NEW_ID}, which works ${works}. Every holder of this service account's key must be a destination of one rotation; run the workflow again to write the active key.`,
      });
    }
    const { it } = await ready();
    script[KEYS] = [keys(null)];
    expect((await it.retire(NEW_KEY)).failure).toMatch(/\(its active key is now none\)/);
  });

  test('Prefect cannot say which key is active: a warning, and the end computed', async () => {
    const { it } = await ready();
    script[ROTATE] = [rotated()];
    await it.create(() => undefined);
    script[KEYS] = [[500, { detail: 'busy' }]];
    const retirement = await it.retire(NEW_KEY);
    const why = 'HTTP 500 (1 attempt)';
    expect(retirement).toEqual({
      revoked: false,
      expiresAt: expect.stringMatching(/^\d{4}-.+Z$/) as unknown,
      detail: `Prefect could not be asked which key is active (${why}); the old key keeps working until ${retirement.expiresAt}.`,
      warning: `The rotation could not be confirmed: Prefect did not say which key of service account deploy is active (${why}). The secrets hold the key this run created; check in Prefect Cloud that it is the active one.`,
    });
    const now = await ready({ graceSeconds: 0 });
    script[ROTATE] = [rotated()];
    await now.it.create(() => undefined);
    script[KEYS] = [[500, { detail: 'busy' }]];
    await expect(now.it.retire(NEW_KEY)).resolves.toMatchObject({ revoked: true, expiresAt: undefined });
  });
});
