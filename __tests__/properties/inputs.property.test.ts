// Bad input, generated: every bad value of every input must fail with an
// InputError that names the input (README: bad input fails the step before any
// request is made), and no value whatever may make the parsers throw anything
// else. In process against parseCheckInputs / parseRotationInputs, read as the
// runner passes inputs (trimmed), then a sample through dist/index.js against
// the emulator: one "Invalid input" error, no crash trace, no request.

import fc from 'fast-check';
import { InputError, parseCheckInputs } from '../../src/inputs.ts';
import { parseRotationInputs } from '../../src/rotate/inputs.ts';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { runAction } from '../support/action.ts';
import { graphqlInputs, restInputs, runnerEnv } from '../support/rotation.ts';

const RUNS = 500;
const SEED = 20_261_123;
/**
 * Values sent through dist/index.js. Every class is rejected in-process above; what a process adds (one
 * "Invalid input" annotation, exit 1, no stderr, no request) is the entry point's, the same for every InputError.
 */
const DIST_SAMPLE = 8;

type Scenario = 'check' | 'rest' | 'graphql';

const ACCOUNT = '0f8fad5b-d9cb-469f-a165-70867728950e';
const WORKSPACE = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const BOT = 'bf5852e9-79b5-4963-bc17-ab4ac3fe6403';
const OLD_KEY = '29b11cc2-0933-4c4f-843e-ae286bc94b98';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Inputs that parse, per scenario; one of them at a time is replaced by a bad value. */
const BASELINE: Record<Scenario, Record<string, string>> = {
  check: { 'api-key': 'pnu_XNHv6KtAnAqgfPq7d634An3yQ05sBrkpYP0E', 'api-url': 'https://api.prefect.cloud/api' },
  rest: {
    'api-key': 'pnb_bqtyDuLJxh8L6bUPFcmsfBw1sY2aCGqjzBEL',
    'api-url': `https://api.prefect.cloud/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}`,
    rotate: 'true',
    'service-account-id': BOT,
    'github-token': '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',
    'secret-name': 'PREFECT_API_KEY',
  },
  graphql: {
    'api-key': 'TepIgGz0aLeyUfr4ON3oIPy5GaME8QZCd36xFKYW',
    rotate: 'true',
    'prefect-api': 'graphql',
    'old-key-id': OLD_KEY,
    'github-token': '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',
    'secret-name': 'PREFECT_API_KEY',
  },
};
const BASE_ENV: Record<string, string> = { GITHUB_REPOSITORY: 'octo/app' };

/** Not an input but the runner's environment: the rotation reads it like one. */
const ENV_INPUTS = new Set(['GITHUB_API_URL']);

type Outcome = { kind: 'ok' } | { kind: 'input-error'; message: string } | { kind: 'crash'; error: unknown };

/** As src/index.ts does it: the check's inputs, then the rotation's when rotate is true. */
function parse(inputs: Record<string, string>, env: Record<string, string>): Outcome {
  const read = (name: string) => (inputs[name] ?? '').trim();
  try {
    const check = parseCheckInputs(read);
    if (check.rotate) parseRotationInputs(read, (name) => env[name], check);
    return { kind: 'ok' };
  } catch (error) {
    if (error instanceof InputError) return { kind: 'input-error', message: error.message };
    return { kind: 'crash', error };
  }
}

function withValue(scenario: Scenario, input: string, value: string): { inputs: Record<string, string>; env: Record<string, string> } {
  if (ENV_INPUTS.has(input)) return { inputs: BASELINE[scenario], env: { ...BASE_ENV, [input]: value } };
  return { inputs: { ...BASELINE[scenario], [input]: value }, env: BASE_ENV };
}

function namesInput(message: string, input: string): boolean {
  const escaped = input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w-])${escaped}([^\\w-]|$)`).test(message);
}

/** Undefined when the value is rejected cleanly; else what went wrong. */
function verdict(scenario: Scenario, input: string, value: string): string | undefined {
  const { inputs, env } = withValue(scenario, input, value);
  const outcome = parse(inputs, env);
  if (outcome.kind === 'ok') return 'accepted';
  if (outcome.kind === 'crash') return `threw ${outcome.error instanceof Error ? `${outcome.error.name}: ${outcome.error.message}` : String(outcome.error)}`;
  if (!namesInput(outcome.message, input)) return `InputError not naming ${input}: ${outcome.message}`;
  return undefined;
}

// ---------------------------------------------------------------- generators

const alnum = fc.stringMatching(/^[A-Za-z0-9]{1,12}$/);
/** Hosts that never resolve (RFC 6761 .invalid, documentation addresses): nothing leaves the machine if one slipped through. */
const host = fc.constantFrom('evil.invalid', 'api.prefect.invalid', 'prefect.cloud.invalid', '192.0.2.10', '198.51.100.7', '203.0.113.99', '[2001:db8::1]');
const plainPath = fc.constantFrom('', '/api', '/api/v1', `/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}`);
const INNER_WHITESPACE = [' ', '\t', '\n', '\r', '\r\n', '\v', '\f', '\u00a0', '\u2028', '\u3000', '\ufeff'];

/** Puts `piece` strictly inside `text`, where trimming cannot remove it. */
function inside(text: fc.Arbitrary<string>, piece: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(
      text.filter((value) => value.length >= 2),
      piece,
      fc.nat(),
    )
    .map(([value, bit, at]) => {
      const position = 1 + (at % (value.length - 1));
      return value.slice(0, position) + bit + value.slice(position);
    });
}

const goodUrl = fc.tuple(fc.constantFrom('https://'), host, plainPath).map((parts) => parts.join(''));

const URL_CLASSES: Record<string, fc.Arbitrary<string>> = {
  'http to another host': fc
    .tuple(
      fc.constantFrom('http://', 'HTTP://', 'Http://'),
      fc.oneof(host, fc.constantFrom('localhost.invalid', '127.0.0.1.invalid', '0.0.0.0', '[::2]', '[::ffff:192.0.2.1]')),
      fc.option(fc.integer({ min: 1, max: 65535 })),
      plainPath,
    )
    .map(([scheme, name, port, path]) => `${scheme}${name}${port === null ? '' : `:${port}`}${path}`),
  'user info': fc
    .tuple(alnum, fc.option(alnum), fc.oneof(host, fc.constantFrom('127.0.0.1', 'localhost')), plainPath, fc.constantFrom('https://', 'http://'))
    .map(([user, password, name, path, scheme]) => `${scheme}${user}${password === null ? '' : `:${password}`}@${name}${path}`),
  'path traversal': fc
    .tuple(
      host,
      fc.array(fc.constantFrom('api', 'accounts', 'x', '.', '..'), { minLength: 0, maxLength: 4 }),
      fc.constantFrom('.', '..'),
      fc.array(fc.constantFrom('api', 'x', '..'), { maxLength: 3 }),
      fc.boolean(),
    )
    .map(([name, before, dots, after, slash]) => `https://${name}/${[...before, dots, ...after].join('/')}${slash ? '/' : ''}`),
  'percent-encoding (%2F and friends)': fc
    .tuple(host, fc.constantFrom('%2F', '%2f', '%5C', '%2e%2e', '%2E', '%00', '%20', '%3F', '%23', '%25'), fc.constantFrom('/api/', '/', '/api/x'))
    .map(([name, encoded, path]) => `https://${name}${path}${encoded}x`),
  'whitespace or newline inside': inside(goodUrl, fc.constantFrom(...INNER_WHITESPACE)),
  backslash: fc.oneof(
    inside(goodUrl, fc.constantFrom('\\', '\\\\')),
    host.map((name) => `https:\\\\${name}\\api`),
    host.map((name) => `https://${name}\\@good.invalid/api`),
  ),
  'bad port': fc
    .tuple(
      host,
      fc.oneof(fc.integer({ min: 65_536, max: 10_000_000 }).map(String), fc.constantFrom('-1', 'abc', '8080a', '0x50', '1e3', '44 3', '443:443')),
      plainPath,
    )
    .map(([name, port, path]) => `https://${name}:${port}${path}`),
  'IPv6 forms': fc.constantFrom(
    'http://[::2]/api',
    'http://[2001:db8::1]:4200/api',
    'http://[::ffff:192.0.2.1]/api',
    'https://[::1/api',
    'https://::1/api',
    'https://[fe80::1%25eth0]/api',
    'https://[::g]/api',
    'https://[2001:db8::1]]/api',
    'http://[0:0:0:0:0:0:0:2]/api',
  ),
  'query or fragment': fc.tuple(goodUrl, fc.constantFrom('?', '?x=1', '#', '#top', '?a=b#c', '/?')).map(([url, tail]) => url + tail),
  'other schemes and non-URLs': fc.constantFrom(
    'ftp://api.prefect.invalid/api',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/plain,api',
    'ws://api.prefect.invalid/api',
    'wss://api.prefect.invalid/api',
    '//api.prefect.invalid/api',
    'api.prefect.invalid/api',
    'https:/api.prefect.invalid',
    'https:api.prefect.invalid/api',
    'https://',
    'https:///',
    ':',
    'null',
  ),
  'control characters': inside(goodUrl, fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u007f')),
  'non-ASCII in the path': fc
    .tuple(host, fc.constantFrom('é', 'ü', '\u202e', '\u200b', '😀', 'İ', '\u2215'), fc.constantFrom('/api/', '/'))
    .map(([name, char, path]) => `https://${name}${path}${char}x`),
  oversized: fc.integer({ min: 4097, max: 9000 }).map((length) => `https://api.prefect.invalid/${'a'.repeat(length - 'https://api.prefect.invalid/'.length)}`),
};

const notUuid = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.uuid().map((id) => `${id}0`),
    fc.uuid().map((id) => id.slice(1)),
    fc.uuid().map((id) => `{${id}}`),
    fc.uuid().map((id) => `urn:uuid:${id}`),
    fc.uuid().map((id) => id.replace(/-/g, '')),
    fc.uuid().map((id) => id.replace(/[a-f0-9]$/, 'g')),
    fc.uuid().map((id) => id.replace('-', '\n')),
    fc.uuid().map((id) => `${id}/../${id}`),
    fc.uuid().map((id) => `${id}%2F`),
  )
  .filter((value) => value.trim() !== '' && !UUID.test(value.trim()));

const VALID_BOOLEANS = ['true', 'True', 'TRUE', 'false', 'False', 'FALSE'];
const notBoolean = fc
  .oneof(
    fc.constantFrom('yes', 'no', '1', '0', 'on', 'off', 'tRue', 'fALSE', 't', 'f', 'truee', 'true false', 'true\nfalse', 'null', 'undefined', '✓', '"true"'),
    fc.string({ minLength: 1, maxLength: 12 }),
  )
  .filter((value) => value.trim() !== '' && !VALID_BOOLEANS.includes(value.trim()));

interface NumberRange {
  min: number;
  max: number;
  integer: boolean;
}

function notNumberIn(range: NumberRange): fc.Arbitrary<string> {
  const pattern = range.integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
  const valid = (value: string) => pattern.test(value) && Number(value) >= range.min && Number(value) <= range.max;
  return fc
    .oneof(
      fc.integer({ min: 1, max: 1_000_000 }).map((n) => `-${n}`),
      fc.bigInt({ min: BigInt(range.max) + 1n, max: 10n ** 40n }).map(String),
      fc.tuple(fc.integer({ min: 0, max: range.max + 10 }), fc.integer({ min: 0, max: 999 })).map(([n, d]) => `${n}.${d}`),
      fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 400 }), fc.constantFrom('e', 'E', 'e+', 'e-')).map(([n, k, e]) => `${n}${e}${k}`),
      fc.integer({ min: 0, max: 4096 }).map((n) => `0x${n.toString(16)}`),
      fc.constantFrom(
        'Infinity',
        '-Infinity',
        'NaN',
        '+5',
        '5 5',
        '5s',
        '1_000',
        '1,5',
        '٣',
        '５',
        '.5',
        '5.',
        '0b101',
        '0o7',
        'five',
        '--1',
        '1e',
        String(range.min - 1),
      ),
      fc.integer({ min: 0, max: 99 }).map((n) => `${n}\n${n}`),
      fc.integer({ min: 4097, max: 6000 }).map((length) => `9${'9'.repeat(length)}`),
    )
    .filter((value) => value.trim() !== '' && !valid(value.trim()));
}

const badSecretName = fc
  .oneof(
    fc.tuple(fc.integer({ min: 0, max: 9 }), fc.stringMatching(/^[A-Za-z0-9_]{0,20}$/)).map(([digit, rest]) => `${digit}${rest}`),
    fc
      .tuple(fc.constantFrom('GITHUB_', 'github_', 'GitHub_', 'GITHUB_TOKEN'), fc.stringMatching(/^[A-Za-z0-9_]{0,12}$/))
      .map(([prefix, rest]) => prefix + rest),
    inside(fc.stringMatching(/^[A-Z][A-Z0-9_]{2,20}$/), fc.constantFrom('-', ' ', '.', '/', '..', 'é', '$', '\n', '%2F', ':', '\\')),
    fc.integer({ min: 256, max: 5000 }).map((length) => `K${'E'.repeat(length - 1)}`),
  )
  .filter((value) => value.trim() !== '');

const repository = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,10}$/), fc.stringMatching(/^[a-z0-9._-]{1,12}$/))
  .map(([owner, name]) => `${owner}/${name}`)
  .filter((repo) => !/\/\.{1,2}$/.test(repo));
const badRepository = fc.oneof(
  fc.constantFrom(
    '../etc',
    'owner',
    'owner/',
    '/repo',
    'a/b/c',
    'owner/.',
    'owner/..',
    '-owner/repo',
    'owner/re po',
    'own er/repo',
    'owner/repo?x',
    'owner/%2e%2e',
    'owner/repo#x',
    'ówner/repo',
    'owner\\repo',
    'owner//repo',
    '..',
    '.',
  ),
  fc.integer({ min: 40, max: 60 }).map((length) => `${'o'.repeat(length)}/repo`),
  fc.integer({ min: 101, max: 140 }).map((length) => `owner/${'r'.repeat(length)}`),
);
const REPOSITORY_CLASSES: Record<string, fc.Arbitrary<string>> = {
  'one bad entry': badRepository,
  'a bad entry among good ones': fc
    .tuple(fc.array(repository, { minLength: 1, maxLength: 5 }), badRepository, fc.nat(), fc.constantFrom(',', '\n', ', ', ',\n'))
    .map(([good, bad, at, separator]) => {
      const list = [...good];
      list.splice(at % (good.length + 1), 0, bad);
      return list.join(separator);
    }),
  'more than 100 repositories': fc.integer({ min: 101, max: 300 }).map((count) => Array.from({ length: count }, (_, i) => `octo/repo-${i}`).join(',')),
};

/** Characters Node refuses in a header: a credential holding one can never be sent. */
const UNSENDABLE = ['\u0001', '\u0007', '\u001b', '\u007f', 'ā', 'Ω', '€', '\u2028', '😀', '\u200b'];
function credentialClasses(prefix: string): Record<string, fc.Arbitrary<string>> {
  const token = fc.stringMatching(/^[A-Za-z0-9_]{20,60}$/).map((rest) => prefix + rest);
  return {
    'whitespace or newline inside': inside(token, fc.constantFrom(...INNER_WHITESPACE)),
    'control or non-Latin-1 characters': inside(token, fc.constantFrom(...UNSENDABLE)),
    oversized: fc.integer({ min: 4097, max: 9000 }).map((length) => prefix + 'k'.repeat(length)),
  };
}

const badHandle = fc
  .oneof(
    fc.constantFrom(
      'a/b/c',
      'acme',
      '/prod',
      'acme/',
      '-acme/prod',
      'acme-/prod',
      'acme/prod-',
      'ac_me/prod',
      'ac.me/prod',
      'ac me/prod',
      'acme//prod',
      '../prod',
      'acme/..',
      'acme\n/prod',
      'acme/pród',
      '/',
      '//',
    ),
    fc.integer({ min: 64, max: 300 }).map((length) => `${'a'.repeat(length)}/prod`),
  )
  .filter((value) => value.trim() !== '');

const badEnvironment = fc.oneof(
  // GitHub accepts any character in an environment name (a `/` is sent encoded); control characters are refused here.
  inside(fc.stringMatching(/^[a-z]{2,12}$/), fc.constantFrom('\n', '\r', '\t', '\u0000', '\u0007', '\u001b', '\u007f')),
  fc.constantFrom('.', '..'),
  fc.integer({ min: 256, max: 2000 }).map((length) => 'e'.repeat(length)),
);

const badOrganization = fc.oneof(
  fc.constantFrom('octo/x', '-octo', 'octo_', 'octo.', '..', 'octo org', 'octo%2F', 'ócto'),
  fc.integer({ min: 40, max: 200 }).map((length) => 'o'.repeat(length)),
);

const badKeyName = fc.oneof(
  fc.tuple(fc.constantFrom('-', '.', '_'), fc.stringMatching(/^[a-z0-9]{0,10}$/)).map(([first, rest]) => first + rest),
  inside(fc.stringMatching(/^[a-z][a-z0-9]{2,12}$/), fc.constantFrom(' ', '/', '*', '\n', 'é', ':', '%')),
  fc.integer({ min: 65, max: 2000 }).map((length) => 'k'.repeat(length)),
);

const badRotationApi = fc
  .oneof(fc.constantFrom('REST', 'GraphQL', 'soap', 'grpc', 'rest ', 'auto-rest', 'rest,graphql', 'Auto'), fc.string({ minLength: 1, maxLength: 10 }))
  .filter((value) => !['', 'auto', 'rest', 'graphql'].includes(value.trim()));

// ---------------------------------------------------------------- the corpus

interface Spec {
  input: string;
  scenario: Scenario;
  kind: string;
  values: fc.Arbitrary<string>;
}

function spec(input: string, scenario: Scenario, kind: string, values: fc.Arbitrary<string>): Spec {
  return { input, scenario, kind, values };
}

const SPECS: Spec[] = [
  ...Object.entries(credentialClasses('pnu_')).map(([kind, values]) => spec('api-key', 'check', kind, values)),
  ...Object.entries(URL_CLASSES).map(([kind, values]) => spec('api-url', 'check', kind, values)),
  spec(
    'api-url',
    'check',
    'workspace URL with an id that is not a UUID',
    fc
      .tuple(
        fc.stringMatching(/^[A-Za-z0-9._~-]{1,40}$/).filter((id) => !UUID.test(id) && id !== '.' && id !== '..'),
        fc.boolean(),
      )
      .map(([id, inAccount]) => `https://api.prefect.cloud/api/accounts/${inAccount ? id : ACCOUNT}/workspaces/${inAccount ? WORKSPACE : id}`),
  ),
  ...Object.entries(URL_CLASSES).map(([kind, values]) => spec('graphql-url', 'check', kind, values)),
  spec('account', 'check', 'given without workspace', notUuid),
  spec('workspace', 'check', 'not a UUID nor <account-handle>/<workspace-handle>, without account', notUuid),
  spec('workspace', 'check', 'not <account-handle>/<workspace-handle>', badHandle),
  spec('fail-on-invalid', 'check', 'not a boolean', notBoolean),
  spec('rotate', 'check', 'not a boolean', notBoolean),
  spec('timeout-seconds', 'check', 'not a number from 1 to 3600', notNumberIn({ min: 1, max: 3600, integer: false })),
  spec('retries', 'check', 'not a whole number from 0 to 10', notNumberIn({ min: 0, max: 10, integer: true })),
  spec('prefect-api', 'check', 'not auto, rest or graphql', badRotationApi),
  spec('service-account-id', 'rest', 'not a UUID', notUuid),
  spec('old-key-id', 'graphql', 'not a UUID', notUuid),
  spec('key-name', 'graphql', 'not a key name', badKeyName),
  spec('new-key-expires-in-days', 'rest', 'not a whole number from 1 to 3650', notNumberIn({ min: 1, max: 3650, integer: true })),
  spec('old-key-grace-seconds', 'rest', 'not a whole number from 0 to 172800', notNumberIn({ min: 0, max: 172_800, integer: true })),
  ...Object.entries(credentialClasses('github_pat_')).map(([kind, values]) => spec('github-token', 'rest', kind, values)),
  spec('secret-name', 'rest', 'not a secret name', badSecretName),
  ...Object.entries(REPOSITORY_CLASSES).map(([kind, values]) => spec('secret-repositories', 'rest', kind, values)),
  spec('secret-environment', 'rest', 'not an environment name, or a dot segment', badEnvironment),
  spec('secret-organization', 'rest', 'not an organization name', badOrganization),
  spec('dry-run', 'rest', 'not a boolean', notBoolean),
  // Set by the runner, not typed by a user: no length bound is asked of it.
  ...Object.entries(URL_CLASSES)
    .filter(([kind]) => kind !== 'oversized')
    .map(([kind, values]) => spec('GITHUB_API_URL', 'rest', kind, values)),
];

function short(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 60)}... (${value.length} characters)` : value);
}

const titleOf = (s: Spec) => `${s.input} (${s.scenario}): ${s.kind}`;

const tally: { title: string; tried: number; clean: number }[] = [];
let arbitraryTried = 0;
let arbitraryCrashed = 0;

describe('every bad value fails with an InputError naming the input', () => {
  test.each(SPECS.map((s) => [titleOf(s), s] as const))('%s', (_title, s) => {
    // The figures: every sampled value, and which were rejected cleanly.
    const values = fc.sample(s.values, { numRuns: RUNS, seed: SEED });
    const wrong = values.map((value) => ({ value, why: verdict(s.scenario, s.input, value) })).filter((entry) => entry.why !== undefined);
    tally.push({ title: titleOf(s), tried: values.length, clean: values.length - wrong.length });
    // The property, for a shrunk counterexample when one fails.
    const details = fc.check(
      fc.property(s.values, (value) => verdict(s.scenario, s.input, value) === undefined),
      { numRuns: RUNS, seed: SEED },
    );
    if (details.failed) {
      const [smallest] = details.counterexample ?? [''];
      const examples = wrong.slice(0, 3).map((entry) => `${short(entry.value)} was ${entry.why}`);
      throw new Error(
        `${wrong.length} of ${values.length} bad values of ${s.input} were not rejected cleanly; smallest found: ${short(smallest)} was ${verdict(s.scenario, s.input, smallest)}; e.g. ${examples.join('; ')}`,
      );
    }
    expect(wrong).toEqual([]);
  });
});

test('no value of any input, or of all at once, makes the parsers throw anything but an InputError', () => {
  const anyText = fc.oneof(
    fc.string({ maxLength: 80, unit: 'binary' }),
    fc.string({ maxLength: 20 }),
    fc.constantFrom('', ' ', 'true', '0', '-1', '1e400', ACCOUNT, 'https://[::1]', 'http://127.0.0.1:1/api'),
  );
  const names = [...new Set([...SPECS.map((s) => s.input), 'api-url', 'secret-environment', 'secret-organization'])];
  const scenario = fc.constantFrom<Scenario>('check', 'rest', 'graphql');
  const one = fc.tuple(scenario, fc.constantFrom(...names), anyText).map(([where, input, value]) => withValue(where, input, value));
  const all = fc.tuple(scenario, fc.dictionary(fc.constantFrom(...names), anyText)).map(([where, values]) => {
    const { GITHUB_API_URL: githubApi, ...inputs } = values;
    return { inputs: { ...BASELINE[where], ...inputs }, env: githubApi === undefined ? BASE_ENV : { ...BASE_ENV, GITHUB_API_URL: githubApi } };
  });
  fc.assert(
    fc.property(fc.oneof(one, all), ({ inputs, env }) => {
      arbitraryTried += 1;
      const outcome = parse(inputs, env);
      if (outcome.kind === 'crash') arbitraryCrashed += 1;
      if (outcome.kind === 'crash') throw outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error));
    }),
    { numRuns: RUNS * 10, seed: SEED },
  );
});

// ---------------------------------------------------------------- good values, boundaries included

/** Both parsers' results, as src/index.ts reads the inputs. */
function parsedFrom(scenario: Scenario, inputs: Record<string, string>, env: Record<string, string> = BASE_ENV): Record<string, unknown> {
  const read = (name: string) => (inputs[name] ?? '').trim();
  const check = parseCheckInputs(read);
  return { ...check, ...(check.rotate ? parseRotationInputs(read, (name) => env[name], check) : {}) };
}

/** The same, for the scenario with one input replaced. */
function parsedWith(scenario: Scenario, input: string, value: string): Record<string, unknown> {
  const { inputs, env } = withValue(scenario, input, value);
  return parsedFrom(scenario, inputs, env);
}

const LONGEST = 4096;
const EVERY_BOOLEAN: [string, boolean][] = [
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
];

/** [input, scenario, value, field of the parsed inputs, its value]: what the bad-value properties above cannot show, that good values are taken as meant. */
const GOOD: [string, Scenario, string, string, unknown][] = [
  ['timeout-seconds', 'check', '1', 'timeoutMs', 1000],
  ['timeout-seconds', 'check', '3600', 'timeoutMs', 3_600_000],
  ['timeout-seconds', 'check', '2.5', 'timeoutMs', 2500],
  ['timeout-seconds', 'check', '', 'timeoutMs', 30_000],
  ['retries', 'check', '0', 'retries', 0],
  ['retries', 'check', '10', 'retries', 10],
  ['retries', 'check', '', 'retries', 3],
  ['warn-if-expires-within-days', 'check', '0', 'warnIfExpiresWithinDays', 0],
  ['warn-if-expires-within-days', 'check', '3650', 'warnIfExpiresWithinDays', 3650],
  ['warn-if-expires-within-days', 'check', '', 'warnIfExpiresWithinDays', 14],
  ['new-key-expires-in-days', 'rest', '1', 'newKeyExpiresInDays', 1],
  ['new-key-expires-in-days', 'rest', '3650', 'newKeyExpiresInDays', 3650],
  ['new-key-expires-in-days', 'rest', '', 'newKeyExpiresInDays', undefined],
  ['rotate-if-expires-within-days', 'rest', '1', 'rotateIfExpiresWithinDays', 1],
  ['rotate-if-expires-within-days', 'rest', '3650', 'rotateIfExpiresWithinDays', 3650],
  ['old-key-grace-seconds', 'rest', '0', 'graceSeconds', 0],
  ['old-key-grace-seconds', 'rest', '172800', 'graceSeconds', 172_800],
  ['old-key-grace-seconds', 'rest', '', 'graceSeconds', 3600],
  ...EVERY_BOOLEAN.flatMap(([text, value]): [string, Scenario, string, string, unknown][] => [
    ['fail-on-invalid', 'check', text, 'failOnInvalid', value],
    ['export-env', 'check', text, 'exportEnv', value],
    ['dry-run', 'rest', text, 'dryRun', value],
  ]),
  ['fail-on-invalid', 'check', '', 'failOnInvalid', true],
  ['export-env', 'check', '', 'exportEnv', true],
  ['dry-run', 'rest', '', 'dryRun', false],
  ['rotate', 'check', 'false', 'rotate', false],
  ['rotate', 'check', 'FALSE', 'rotate', false],
  ['rotate', 'rest', 'True', 'rotate', true],
  ['prefect-api', 'rest', 'rest', 'api', 'rest'],
  ['prefect-api', 'rest', 'auto', 'api', 'rest'],
  ['prefect-api', 'graphql', 'graphql', 'api', 'graphql'],
  ['api-key', 'check', `pnu_${'k'.repeat(LONGEST - 4)}`, 'apiKey', `pnu_${'k'.repeat(LONGEST - 4)}`],
  ['api-key', 'check', `pnu_${'k'.repeat(12)}`, 'apiKey', `pnu_${'k'.repeat(12)}`],
  ['account', 'check', ACCOUNT.toUpperCase(), 'workspace', { kind: 'ids', accountId: ACCOUNT, workspaceId: WORKSPACE }],
  ['key-name', 'graphql', 'k'.repeat(64), 'keyName', 'k'.repeat(64)],
  ['key-name', 'graphql', '', 'keyName', 'github-actions'],
  ['service-account-id', 'rest', BOT.toUpperCase(), 'serviceAccountId', BOT],
  ['old-key-id', 'graphql', OLD_KEY.toUpperCase(), 'oldKeyId', OLD_KEY],
];

describe('every good value is accepted and read as meant, the bounds included', () => {
  test.each(GOOD.map((entry) => [`${entry[0]} (${entry[1]}) = ${short(entry[2])}`, entry] as const))(
    '%s',
    (_title, [input, scenario, value, field, expected]) => {
      const inputs = input === 'account' ? { ...BASELINE[scenario], 'api-url': 'https://api.prefect.cloud/api', workspace: WORKSPACE } : BASELINE[scenario];
      const read = { ...inputs, [input]: value };
      const parsed = input === 'account' ? parsedFrom(scenario, read) : parsedWith(scenario, input, value);
      expect(parsed[field]).toEqual(expected);
    },
  );

  test('one character past the longest value is refused, naming the input', () => {
    expect(verdict('check', 'api-key', `pnu_${'k'.repeat(LONGEST - 3)}`)).toBeUndefined();
    expect(parsedWith('check', 'api-key', `pnu_${'k'.repeat(LONGEST - 4)}`).apiKey).toHaveLength(LONGEST);
  });
});

// ---------------------------------------------------------------- through dist/index.js

/** Values the runner can carry in an environment variable. */
const carriable = (value: string) => !value.includes('\u0000');

/**
 * A round-robin over the corpus, one generated value each, deterministic; a class of each scenario and
 * every input the runner carries in the environment among them, as each reaches the entry point its own way.
 */
const distSpecs = [
  ...new Map(SPECS.filter((s) => ENV_INPUTS.has(s.input)).map((s) => [s.input, s])).values(),
  ...new Map(SPECS.map((s) => [s.scenario, s])).values(),
];
while (distSpecs.length < DIST_SAMPLE) distSpecs.push(SPECS[Math.floor((distSpecs.length * SPECS.length) / DIST_SAMPLE)]!);
const distCases = distSpecs.map((s, index) => {
  const value = fc.sample(s.values.filter(carriable), { numRuns: 1, seed: SEED + index })[0]!;
  return { s, value };
});

function distInputs(emu: Emulator, scenario: Scenario): Record<string, string> {
  if (scenario === 'check') return { 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl };
  if (scenario === 'rest') return restInputs(emu);
  return graphqlInputs(emu);
}

let distTried = 0;
let distClean = 0;

describe('through dist/index.js: one "Invalid input" error, no crash trace, no request', () => {
  test.concurrent.each(distCases.map((entry, index) => [`#${index + 1} ${titleOf(entry.s)}: ${JSON.stringify(entry.value.slice(0, 50))}`, entry] as const))(
    '%s',
    async (_title, { s, value }) => {
      distTried += 1;
      const emu = await startEmulator();
      try {
        const inputs = { ...distInputs(emu, s.scenario) };
        const env = { ...runnerEnv(emu) };
        if (ENV_INPUTS.has(s.input)) env[s.input] = value;
        else inputs[s.input] = value;
        const run = await runAction(inputs, { env });
        const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error'));
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(/^::error title=Invalid input::/);
        // The message as the runner shows it; it may hold line separators of the value it quotes.
        const message = (errors[0] ?? '')
          .replace(/^::error title=Invalid input::/, '')
          .replace(/%0A/g, '\n')
          .replace(/%0D/g, '\r')
          .replace(/%25/g, '%');
        expect({ message, namesInput: namesInput(message, s.input) }).toEqual({ message, namesInput: true });
        expect(run.exitCode).toBe(1);
        expect(run.stderr).toBe('');
        expect(emu.requests).toEqual([]);
        distClean += 1;
      } finally {
        await emu.close();
      }
    },
    30_000,
  );
});

afterAll(() => {
  const tried = tally.reduce((sum, entry) => sum + entry.tried, 0);
  const clean = tally.reduce((sum, entry) => sum + entry.clean, 0);
  const lines = [
    '',
    '== Bad-input corpus',
    ...tally.map((entry) => `${entry.clean === entry.tried ? 'ok ' : 'XX '} ${entry.title}: ${entry.clean}/${entry.tried} rejected cleanly`),
    `in process: ${tried} bad inputs tried, ${clean} rejected cleanly, ${tried - clean} not (over ${tally.length} classes of ${new Set(tally.map((entry) => entry.title.split(' (')[0])).size} inputs)`,
    `in process: ${arbitraryTried} arbitrary input sets parsed, ${arbitraryCrashed} threw something other than an InputError`,
    `through dist/index.js: ${distTried} bad inputs tried, ${distClean} rejected cleanly`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
});
