// Servers that echo credentials back in their error answers. README: every
// log line, annotation, summary and non-secret output is scrubbed of the key
// and github-token, whatever a server echoes back. runAction scans every run
// for every secret it knows (raw, JSON-escaped, URL-encoded, base64); these
// cells also check that the echo did reach the step's messages, as ***. Only
// answers whose text the action quotes are here: a check's health or
// workspace answer is never quoted (its status decides), so an echo there
// could not reach a message and a case for it could not fail.

import type { Emulator, Fault, RouteName } from '../emulator/index.ts';
import { annotations, expectNoLeak, renderedSummary, runAction, type ActionRun } from '../support/action.ts';
import { graphqlInputs, restInputs, rotate } from '../support/rotation.ts';
import { withEmulator } from './matrix.ts';

/** A Cloud 1 style key with every character JSON and URL encoding change; it need not exist, the fault answers. */
const SPECIAL_KEY = 'Cl0ud1/Key+with=special"chars\\and%percent&amp;x';

/** The key in each form a server could echo it in. */
function echoes(secret: string): string {
  return `${secret} | ${JSON.stringify(secret)} | ${encodeURIComponent(secret)}`;
}

interface LeakCase {
  name: string;
  route: RouteName;
  fault: (emu: Emulator) => Fault;
  run: (emu: Emulator) => Promise<ActionRun>;
  /** The secrets echoed, for the explicit scan (the automatic one knows them too). */
  secrets: (emu: Emulator) => string[];
}

const CASES: LeakCase[] = [
  {
    name: 'Cloud 1 auth_info: a GraphQL error whose message holds the key in raw, JSON and URL forms',
    route: 'graphql:auth_info',
    fault: () => ({ graphqlError: { message: `Unauthenticated: ${echoes(SPECIAL_KEY)}`, code: 'UNAUTHENTICATED' } }),
    run: (emu) => runAction({ 'api-key': SPECIAL_KEY, 'graphql-url': emu.graphqlUrl, 'prefect-api': 'graphql', retries: '0' }),
    secrets: () => [SPECIAL_KEY],
  },
  {
    name: 'Cloud 1 create_api_key: a GraphQL error whose message holds the key and the token',
    route: 'graphql:create_api_key',
    fault: (emu) => ({ graphqlError: { message: `Forbidden for ${echoes(emu.seed.cloud1.key)} via ${emu.seed.github.writeToken}`, code: 'FORBIDDEN' } }),
    run: (emu) => rotate(emu, graphqlInputs(emu)),
    secrets: (emu) => [emu.seed.cloud1.key, emu.seed.github.writeToken],
  },
  {
    name: 'REST bots read: a 403 whose detail echoes the key',
    route: 'bots-read',
    fault: (emu) => ({ status: 403, body: JSON.stringify({ detail: `Bearer ${echoes(emu.seed.adminBot.key)} lacks account role` }) }),
    run: (emu) => rotate(emu, restInputs(emu)),
    secrets: (emu) => [emu.seed.adminBot.key],
  },
  {
    name: 'REST rotate_api_key: a 422 whose detail echoes the key',
    route: 'bots-rotate',
    fault: (emu) => ({
      status: 422,
      body: JSON.stringify({
        detail: [{ loc: ['header', 'authorization'], msg: `Bearer ${emu.seed.adminBot.key} is not accepted here`, input: emu.seed.adminBot.key }],
      }),
    }),
    run: (emu) => rotate(emu, restInputs(emu)),
    secrets: (emu) => [emu.seed.adminBot.key],
  },
  {
    name: 'GitHub public key: a 403 whose message echoes github-token',
    route: 'gh-public-key',
    fault: (emu) => ({ status: 403, body: JSON.stringify({ message: `Resource not accessible by integration (token ${emu.seed.github.writeToken})` }) }),
    run: (emu) => rotate(emu, restInputs(emu)),
    secrets: (emu) => [emu.seed.github.writeToken],
  },
  {
    name: 'GitHub secret write: a 422 whose message echoes github-token and the Prefect key',
    route: 'gh-secret-put',
    fault: (emu) => ({
      status: 422,
      body: JSON.stringify({ message: `Invalid request for ${echoes(emu.seed.github.writeToken)} and ${emu.seed.adminBot.key}` }),
    }),
    run: (emu) => rotate(emu, restInputs(emu, { retries: '0' })),
    secrets: (emu) => [emu.seed.github.writeToken, emu.seed.adminBot.key],
  },
  {
    name: 'GitHub public key: a 401 whose message echoes github-token base64-encoded (as a Basic credential)',
    route: 'gh-public-key',
    fault: (emu) => ({
      status: 401,
      body: JSON.stringify({ message: `Bad credentials: Basic ${Buffer.from(emu.seed.github.writeToken).toString('base64')}` }),
    }),
    run: (emu) => rotate(emu, restInputs(emu)),
    secrets: (emu) => [emu.seed.github.writeToken],
  },
];

let scanned = 0;

test.concurrent.each(CASES.map((leak) => [leak.name, leak] as const))(
  '%s: the echo never surfaces',
  async (_name, leak) =>
    withEmulator(async (emu) => {
      emu.fault(leak.route, leak.fault(emu));
      // runAction scans every stream for every secret the run knows before it resolves.
      const run = await leak.run(emu);
      scanned += 1;
      expect(emu.requests.some((request) => request.route === leak.route.split(':')[0])).toBe(true);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toBe('');
      expectNoLeak(run, leak.secrets(emu), ['new-api-key']);
      // The echo did reach the step's messages, masked: a run that dropped the server's words would prove nothing.
      const errors = annotations(run).filter((annotation) => annotation.level === 'error');
      expect(errors.map((annotation) => annotation.message).join('\n')).toContain('***');
      // As GitHub renders it: the summary escapes Markdown, so the mask reads \*\*\* in the file.
      expect(renderedSummary(run)).toContain('***');
    }),
  30_000,
);

afterAll(() => {
  process.stdout.write(`\n== Echoed credentials: ${scanned} of ${CASES.length} runs scanned clean\n`);
});
