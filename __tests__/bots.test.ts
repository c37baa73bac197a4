// Prefect Cloud's service accounts (src/prefect/bots.ts) over real HTTP to a
// loopback server scripted per request: each read's answer checked where it is
// parsed, each refusal put in words with Prefect's own, and the rotation sent
// once with exactly the body Prefect's API describes.

import { AmbiguousOutcomeError } from '../src/http/retry.ts';
import { BotRefusal, myAccountPermissions, NEEDS_UPDATE_BOT, readBot, readBotKeys, rotateBotKey } from '../src/prefect/bots.ts';
import type { PrefectApi } from '../src/prefect/rest.ts';
import { UnexpectedAnswerError } from '../src/prefect/values.ts';
import { answer, quickPolicy, useLoopback, type Received, type Reply } from './support/loopback.ts';
import { rejectionOf } from './support/rejection.ts';

let reply: Reply = [599, 'unscripted'];
let seen: Received[] = [];
const origin = useLoopback((request, response) => {
  seen.push(request);
  answer(response, reply);
});
beforeEach(() => {
  seen = [];
});

const KEY = 'pnu_abcdefghijklmnopqrstuvwxyz0123456789';
const NEW_KEY = 'pnb_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ACCOUNT = '0f4a3b1c-9d2e-4f60-8a7b-1c2d3e4f5a6b';
const BOT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const KEY_ID = '11111111-2222-4333-8444-555555555555';
const api = (retries = 0): PrefectApi => ({ base: new URL(`${origin()}/api/`), apiKey: KEY, policy: quickPolicy(retries) });
const script = (status: number, body: unknown) => {
  reply = [status, body];
};

describe('readBot', () => {
  const bot = (apiKey: unknown) => ({ id: BOT.toUpperCase(), name: 'deploy', api_key: apiKey });

  test('the bot and its key, ids lower-cased, the creation time in epoch ms', async () => {
    script(200, bot({ id: KEY_ID, expiration: '2027-01-01T00:00:00+01:00', created: '2026-12-01T00:00:00Z' }));
    await expect(readBot(api(), ACCOUNT, BOT)).resolves.toEqual({
      id: BOT,
      name: 'deploy',
      keyId: KEY_ID,
      keyExpiration: '2026-12-31T23:00:00.000Z',
      keyCreated: Date.parse('2026-12-01T00:00:00Z'),
    });
    expect(seen.map((request) => `${request.method} ${request.url}`)).toEqual([`GET /api/accounts/${ACCOUNT}/bots/${BOT}`]);
    expect(seen[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  test('no key, a key that never expires, a key whose creation Prefect does not give', async () => {
    for (const none of [null, undefined]) {
      script(200, bot(none));
      await expect(readBot(api(), ACCOUNT, BOT)).resolves.toEqual({
        id: BOT,
        name: 'deploy',
        keyId: undefined,
        keyExpiration: undefined,
        keyCreated: undefined,
      });
    }
    for (const created of [null, undefined]) {
      script(200, bot({ id: KEY_ID, expiration: null, created }));
      await expect(readBot(api(), ACCOUNT, BOT)).resolves.toEqual({ id: BOT, name: 'deploy', keyId: KEY_ID, keyExpiration: null, keyCreated: undefined });
    }
  });

  test('each value checked, the field named', async () => {
    for (const [body, why] of [
      [[], 'the service account is not an object'],
      [{ ...bot(null), id: 'b' }, 'the service account id is not a UUID'],
      [{ ...bot(null), name: '' }, 'the service account name is not a name of at most 200 printable characters'],
      [bot('key'), 'the service account api_key is not an object'],
      [bot({ id: 7 }), 'the service account api_key.id is not a UUID'],
      [bot({ id: KEY_ID, expiration: 'never' }), 'the service account api_key.expiration is not an RFC 3339 timestamp'],
      [bot({ id: KEY_ID, created: 5 }), 'the service account api_key.created is not an RFC 3339 timestamp'],
    ]) {
      script(200, body);
      await expect(readBot(api(), ACCOUNT, BOT)).rejects.toThrow(new UnexpectedAnswerError(why as string));
    }
  });

  test("each refusal in words, with Prefect's own", async () => {
    const what = `read service account ${BOT}`;
    for (const [status, body, message] of [
      [401, { detail: 'Invalid API key' }, `Prefect Cloud rejected the API key when asked to ${what} (HTTP 401: Invalid API key).`],
      [403, { detail: 'Forbidden' }, `The API key may not ${what} (HTTP 403: Forbidden): ${NEEDS_UPDATE_BOT}`],
      [404, { detail: 'Not\nfound' }, `Service account ${BOT} was not found in the account (HTTP 404: Not found): check service-account-id.`],
      [404, 'no JSON', `Service account ${BOT} was not found in the account (HTTP 404: HTTP 404): check service-account-id.`],
      [409, { detail: { reason: 'busy' } }, `Prefect Cloud answered HTTP 409 ({"reason":"busy"}) when asked to ${what}.`],
      [400, { other: 1 }, `Prefect Cloud answered HTTP 400 (HTTP 400) when asked to ${what}.`],
      [201, {}, `Prefect Cloud answered HTTP 201 (HTTP 201) when asked to ${what}.`],
    ] as [number, unknown, string][]) {
      script(status, body);
      const error = await rejectionOf(readBot(api(), ACCOUNT, BOT));
      expect(error).toBeInstanceOf(BotRefusal);
      expect(error.name).toBe('BotRefusal');
      expect(error.message).toBe(message);
    }
  });
});

describe('rotateBotKey', () => {
  const request = { accountId: ACCOUNT, botId: BOT, expiration: '2027-01-01T00:00:00.000Z', oldKeyExpiresInSeconds: 3600 };

  test("POSTed once, with Prefect's body; a 201 or 200 carries the new key", async () => {
    for (const status of [201, 200]) {
      seen = [];
      script(status, { api_key: { id: KEY_ID.toUpperCase(), key: NEW_KEY, expiration: '2027-01-01T00:00:00Z' } });
      await expect(rotateBotKey(api(3), request)).resolves.toEqual({ id: KEY_ID, value: NEW_KEY, expiration: '2027-01-01T00:00:00.000Z' });
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ method: 'POST', url: `/api/accounts/${ACCOUNT}/bots/${BOT}/rotate_api_key` });
      expect(JSON.parse(seen[0]!.body)).toEqual({ api_key_expiration: '2027-01-01T00:00:00.000Z', old_key_expires_in_seconds: 3600 });
      expect(seen[0]!.headers).toMatchObject({ authorization: `Bearer ${KEY}`, accept: 'application/json', 'content-type': 'application/json' });
    }
    script(201, { api_key: { id: KEY_ID, key: NEW_KEY, expiration: null } });
    await expect(rotateBotKey(api(), { ...request, expiration: null, oldKeyExpiresInSeconds: null })).resolves.toEqual({
      id: KEY_ID,
      value: NEW_KEY,
      expiration: null,
    });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ api_key_expiration: null, old_key_expires_in_seconds: null });
  });

  test('an answer without a real key is unexpected; a refusal says why; a 5xx is ambiguous, not repeated', async () => {
    for (const [body, why] of [
      [[], 'the rotation answer is not an object'],
      [{}, 'the rotation answer api_key is not an object'],
      [{ api_key: { id: 'k', key: NEW_KEY } }, 'the new key id is not a UUID'],
      [{ api_key: { id: KEY_ID, key: 'pnb_short' } }, 'the new key is not a Prefect Cloud key (pnb_ or pnu_ and 36 letters or digits)'],
      [{ api_key: { id: KEY_ID, key: NEW_KEY, expiration: 'soon' } }, 'the new key expiration is not an RFC 3339 timestamp'],
    ]) {
      script(201, body);
      await expect(rotateBotKey(api(), request)).rejects.toThrow(new UnexpectedAnswerError(why as string));
    }
    script(403, { detail: 'Forbidden' });
    expect((await rejectionOf(rotateBotKey(api(), request))).message).toBe(
      `The API key may not rotate the key of service account ${BOT} (HTTP 403: Forbidden): ${NEEDS_UPDATE_BOT}`,
    );
    script(202, {});
    expect((await rejectionOf(rotateBotKey(api(), request))).message).toBe(
      `Prefect Cloud answered HTTP 202 (HTTP 202) when asked to rotate the key of service account ${BOT}.`,
    );
    seen = [];
    script(503, 'down');
    expect(await rejectionOf(rotateBotKey(api(3), request))).toBeInstanceOf(AmbiguousOutcomeError);
    expect(seen).toHaveLength(1);
  });
});

describe('myAccountPermissions', () => {
  test('the list, each one checked; a 403 or 404 is "Prefect will not say"; another status a refusal', async () => {
    script(200, ['update:bot', 'read:bot', `${'a'.repeat(50)}:${'b_-'.repeat(16)}xx`]);
    await expect(myAccountPermissions(api(), ACCOUNT)).resolves.toHaveLength(3);
    expect(seen[0]!.url).toBe(`/api/me/accounts/${ACCOUNT}/permissions`);
    script(200, []);
    await expect(myAccountPermissions(api(), ACCOUNT)).resolves.toEqual([]);
    for (const status of [403, 404]) {
      script(status, { detail: 'no' });
      await expect(myAccountPermissions(api(), ACCOUNT)).resolves.toBeUndefined();
    }
    script(401, { detail: 'bad key' });
    expect((await rejectionOf(myAccountPermissions(api(), ACCOUNT))).message).toBe(
      'Prefect Cloud rejected the API key when asked to read its own account permissions (HTTP 401: bad key).',
    );
    script(200, { permissions: [] });
    await expect(myAccountPermissions(api(), ACCOUNT)).rejects.toThrow(new UnexpectedAnswerError('the account permissions are not a list'));
    for (const permission of [
      7,
      ['update:bot'],
      'update',
      ' update:bot',
      'update:bot ',
      'Update:bot',
      `${'a'.repeat(51)}:bot`,
      `update:${'b'.repeat(51)}`,
      'a:b:c',
    ]) {
      script(200, ['read:bot', permission]);
      await expect(myAccountPermissions(api(), ACCOUNT)).rejects.toThrow(new UnexpectedAnswerError('an account permission is not one'));
    }
  });
});

describe('readBotKeys', () => {
  test('the active key and the rotating ones; none of either', async () => {
    script(200, {
      active_key: { id: KEY_ID.toUpperCase(), expiration: null },
      rotating_keys: [{ id: BOT, expiration: '2026-12-03T12:00:00Z' }],
    });
    await expect(readBotKeys(api(), ACCOUNT, BOT)).resolves.toEqual({
      active: { id: KEY_ID, expiration: null },
      rotating: [{ id: BOT, expiration: '2026-12-03T12:00:00.000Z' }],
    });
    expect(seen[0]!.url).toBe(`/api/accounts/${ACCOUNT}/bots/${BOT}/read_bot_api_keys`);
    for (const body of [{}, { active_key: null, rotating_keys: null }]) {
      script(200, body);
      await expect(readBotKeys(api(), ACCOUNT, BOT)).resolves.toEqual({ active: undefined, rotating: [] });
    }
  });

  test('each value checked, the entry named; a refusal in words', async () => {
    for (const [body, why] of [
      ['[]', 'the service account keys is not an object'],
      [{ rotating_keys: {} }, 'rotating_keys is not a list'],
      [{ active_key: 'k' }, 'active_key is not an object'],
      [{ active_key: { id: 'k' } }, 'active_key.id is not a UUID'],
      [{ rotating_keys: [{ id: KEY_ID }, { id: KEY_ID, expiration: 'x' }] }, 'rotating_keys[1].expiration is not an RFC 3339 timestamp'],
    ]) {
      script(200, typeof body === 'string' ? JSON.parse(body) : body);
      await expect(readBotKeys(api(), ACCOUNT, BOT)).rejects.toThrow(new UnexpectedAnswerError(why as string));
    }
    script(404, { detail: 'Bot not found' });
    expect((await rejectionOf(readBotKeys(api(), ACCOUNT, BOT))).message).toBe(
      `Service account ${BOT} was not found in the account (HTTP 404: Bot not found): check service-account-id.`,
    );
    script(403, { detail: 'no' });
    expect((await rejectionOf(readBotKeys(api(), ACCOUNT, BOT))).message).toBe(
      `The API key may not read the keys of service account ${BOT} (HTTP 403: no): ${NEEDS_UPDATE_BOT}`,
    );
  });
});
