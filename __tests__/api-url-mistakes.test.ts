// The api-url mistakes a new user makes, caught before anything is sent: a
// page of Prefect Cloud's web app pasted from the browser, and a Prefect
// Cloud URL without /api (every path of which would be a 404 blaming the ids).
// Only Prefect Cloud's own hosts are judged: a self-hosted server's paths are
// its own. Where the value came from (the input or PREFECT_API_URL) is named.

import { InputError, parseApiUrl, parseCheckInputs, type ReadEnv } from '../src/inputs.ts';
import { run } from '../src/main.ts';
import { quickPolicy } from './support/loopback.ts';
import { recordingRunner } from './support/recording-runner.ts';

const ACCOUNT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const WORKSPACE = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const KEY = 'pnu_0123456789abcdefghijklmnopqrstuvwxyz';
const API_URL = `https://api.prefect.cloud/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}`;

function parse(values: Record<string, string>, readEnv: ReadEnv = () => undefined) {
  return parseCheckInputs((name) => ({ 'api-key': KEY, ...values })[name] ?? '', readEnv);
}

describe("a page of Prefect Cloud's web app", () => {
  test.each(['dashboard', 'runs', 'deployments/deployment/abc', ''])('/account/<id>/workspace/<id>/%s: its workspace API URL, with a notice', (page) => {
    const inputs = parse({ 'api-url': `https://app.prefect.cloud/account/${ACCOUNT}/workspace/${WORKSPACE}${page ? `/${page}` : ''}` });
    expect(inputs.apiBase.href).toBe('https://api.prefect.cloud/api');
    expect(inputs.workspace).toEqual({ kind: 'ids', accountId: ACCOUNT, workspaceId: WORKSPACE });
    expect(inputs.apiUrlCorrected).toBe(
      `api-url is the address of a page in Prefect Cloud's web app; its workspace's API URL, ${API_URL}, was used instead. Set api-url to that.`,
    );
  });

  test('from PREFECT_API_URL: the notice names it', () => {
    const inputs = parse({}, (name) =>
      name === 'PREFECT_API_URL' ? `https://app.prefect.cloud/account/${ACCOUNT}/workspace/${WORKSPACE}/dashboard` : undefined,
    );
    expect(inputs.apiUrlFrom).toBe('PREFECT_API_URL');
    expect(inputs.apiUrlCorrected).toMatch(/^PREFECT_API_URL is the address of a page in Prefect Cloud's web app; .* Set PREFECT_API_URL to that\.$/);
  });

  test('a page that names no workspace is refused with the API URL to use', () => {
    expect(() => parseApiUrl('https://app.prefect.cloud/account/settings')).toThrow(
      new InputError(
        `Input api-url is a page of Prefect Cloud's web app ("https://app.prefect.cloud/account/settings"), not its API: use https://api.prefect.cloud/api/accounts/<account-id>/workspaces/<workspace-id>, or open the workspace in the browser and give that page's address.`,
      ),
    );
  });
});

describe('a Prefect Cloud URL without /api', () => {
  test('the bare host: /api added, with a notice', () => {
    const inputs = parse({ 'api-url': 'https://api.prefect.cloud' });
    expect(inputs.apiBase.href).toBe('https://api.prefect.cloud/api');
    expect(inputs.apiUrlCorrected).toBe(
      `api-url ("https://api.prefect.cloud") lacks /api: Prefect Cloud's API base ends in /api, so https://api.prefect.cloud/api was used. Set api-url to that.`,
    );
  });

  test('a workspace URL: /api added, the workspace kept', () => {
    const inputs = parse({ 'api-url': `https://api.prefect.cloud/accounts/${ACCOUNT}/workspaces/${WORKSPACE}/` });
    expect(inputs.apiBase.href).toBe('https://api.prefect.cloud/api');
    expect(inputs.workspace).toEqual({ kind: 'ids', accountId: ACCOUNT, workspaceId: WORKSPACE });
    expect(inputs.apiUrlCorrected).toContain(`so ${API_URL} was used.`);
  });

  test('a right URL, and any other host, are left as given', () => {
    expect(parse({ 'api-url': API_URL }).apiUrlCorrected).toBeUndefined();
    expect(parse({}).apiUrlCorrected).toBeUndefined();
    expect(parse({}).apiUrlFrom).toBe('default');
    const selfHosted = parse({ 'api-url': `https://prefect.example.com/accounts/${ACCOUNT}/workspaces/${WORKSPACE}` });
    expect(selfHosted.apiBase.href).toBe('https://prefect.example.com/');
    expect(selfHosted.apiUrlCorrected).toBeUndefined();
    expect(parseApiUrl('https://prefect.example.com').corrected).toBeUndefined();
  });
});

test('the correction is said as a notice before the check', async () => {
  const { runner, recorded } = recordingRunner();
  // The corrected host is not reached here: the notice comes first, and a check with no retries ends at the closed port.
  const inputs = {
    ...parse({ 'api-url': 'http://127.0.0.1:9/api', retries: '0', 'warn-if-expires-within-days': '0' }),
    apiUrlCorrected: 'api-url lacks /api: …',
  };
  await run(inputs, runner, { policy: quickPolicy(0) });
  expect(recorded.lines[0]).toBe('notice: api-url corrected: api-url lacks /api: …');
});
