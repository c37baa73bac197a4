// A host name with no DNS record (a mistyped api-url such as
// api.prefect.clod) is a configuration mistake, not an outage: it is not
// retried, its status is `unexpected` (never invalid-key), and the message
// sends the user to the host in api-url or PREFECT_API_URL. A resolver that
// did not answer (EAI_AGAIN) stays an outage, and so does the default host
// without a record: no one typed it.

import { explain, isHostNotFound } from '../src/http/client.ts';
import { parseCheckInputs } from '../src/inputs.ts';
import { checkKey } from '../src/prefect/check.ts';
import { run } from '../src/main.ts';
import { quickPolicy } from './support/loopback.ts';
import { recordingRunner } from './support/recording-runner.ts';

const KEY = 'pnu_0123456789abcdefghijklmnopqrstuvwxyz';
const live = new AbortController().signal;

function lookupError(code: string, hostname: string): Error {
  return Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code, errno: -3008, syscall: 'getaddrinfo', hostname });
}

test('ENOTFOUND: the host name does not exist, and trying again cannot help', () => {
  const failure = explain(lookupError('ENOTFOUND', 'api.prefect.clod'), new URL('https://api.prefect.clod/api/health'), live);
  expect(failure.message).toBe('the host name api.prefect.clod does not exist (ENOTFOUND)');
  expect(isHostNotFound(failure)).toBe(true);
  expect(failure.remedy).toBe('a host name that does not exist does not pass by itself: check it for a typo');
});

test('EAI_AGAIN: a resolver that did not answer stays an outage', () => {
  const failure = explain(lookupError('EAI_AGAIN', 'api.prefect.cloud'), new URL('https://api.prefect.cloud/api/health'), live);
  expect(failure).toEqual({ message: 'getaddrinfo EAI_AGAIN api.prefect.cloud' });
  expect(isHostNotFound(failure)).toBe(false);
});

// RFC 6761 reserves .invalid, and resolvers answer NXDOMAIN for it without asking anyone: the runner's resolver
// (and this machine's) says the name does not exist.
describe('a check against a host that does not exist', () => {
  async function check(values: Record<string, string>, env: Record<string, string> = {}) {
    const { runner, recorded } = recordingRunner();
    const inputs = parseCheckInputs(
      (name) => ({ 'api-key': KEY, retries: '3', 'warn-if-expires-within-days': '0', ...values })[name] ?? '',
      (name) => env[name],
    );
    const traced: string[] = [];
    recorded.exitCode = await run(inputs, runner, { policy: { ...quickPolicy(3), trace: (line) => traced.push(line) } });
    return { recorded, traced };
  }

  test('from api-url: unexpected, one attempt, api-url named', async () => {
    const { recorded, traced } = await check({ 'api-url': 'https://api.prefect.invalid/api', workspace: 'acme/production' });
    expect(recorded.exitCode).toBe(1);
    expect(recorded.outputs).toMatchObject({ status: 'unexpected', 'status-code': '' });
    expect(traced).toHaveLength(1);
    expect(recorded.lines).toEqual([
      "error: Key check failed (unexpected): The host name api.prefect.invalid does not exist, so Prefect Cloud was not reached and this says nothing about the key. Check the host name in api-url, https://api.prefect.invalid/api; Prefect Cloud's API URL is https://api.prefect.cloud/api.",
    ]);
    expect(recorded.summary).toContain('| acme/production | unexpected |');
  });

  test('from PREFECT_API_URL: that is named', async () => {
    const { recorded } = await check({}, { PREFECT_API_URL: 'https://api.prefect.invalid/api' });
    expect(recorded.outputs.status).toBe('unexpected');
    expect(recorded.lines[0]).toContain('Check the host name in PREFECT_API_URL (api-url is empty), https://api.prefect.invalid/api;');
  });
});

// The default api-url was not typed by anyone: its host without a DNS record is the runner's resolver failing, an
// outage as any other (checkKey called with the source set to the default, the host a reserved one).
test('the default host not found is an outage, not a host name to check', async () => {
  const api = { base: new URL('https://api.prefect.invalid/api'), apiKey: KEY, policy: quickPolicy(0), urlFrom: 'default' } as const;
  const result = await checkKey(api, { kind: 'none' });
  expect(result).toMatchObject({ status: 'unavailable', statusCode: undefined });
  // No typo to look for in a URL nobody typed: the runner's DNS is named instead.
  expect(result.message).toBe(
    "Prefect Cloud at api.prefect.invalid could not be reached: the host name api.prefect.invalid does not exist (ENOTFOUND) (1 attempt). This says nothing about the key; the runner's DNS has no record of a host Prefect Cloud serves: check the runner's network and DNS settings, then run the job again.",
  );
});
