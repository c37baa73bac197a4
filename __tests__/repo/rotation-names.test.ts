// Every rotation the repository shows (each file in examples/, each YAML block of
// the README) uses the same secret and variable names, so that a user who sets
// them up once for one recipe can run any other, the dry run included: an
// admin's key that may rotate, the deploy service account's id, the workspace
// URL, the GitHub App's credentials, and the secret the deploy reads. And a
// rotation only when due gives the new key an expiry, or it is never due again.

import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import yaml from 'js-yaml';
import { codeBlocks, isYamlBlock, readText, ROOT } from './markdown.ts';

/** The names every rotation step uses: input name to its exact value. */
export const ROTATION_NAMES: Record<string, string> = {
  'api-key': '${{ secrets.PREFECT_ADMIN_API_KEY }}',
  'api-url': '${{ vars.PREFECT_API_URL }}',
  'service-account-id': '${{ vars.PREFECT_DEPLOY_SERVICE_ACCOUNT_ID }}',
  'secret-name': 'PREFECT_API_KEY',
};

/** The GitHub App token step whose token a rotation writes the secret with. */
const APP_TOKEN_NAMES: Record<string, string> = {
  'client-id': '${{ vars.KEY_ROTATION_APP_CLIENT_ID }}',
  'private-key': '${{ secrets.KEY_ROTATION_APP_PRIVATE_KEY }}',
};

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

interface Source {
  /** Where it comes from, for messages: a path, or README.md:<line>. */
  source: string;
  text: string;
}

const THIS_ACTION = /^(\.\/?|[\w.-]+\/prefect-cloud-key-action@.+)$/;
const APP_TOKEN_ACTION = /^actions\/create-github-app-token@/;

/** The step lists of a workflow, or of a README block that is a list of steps. */
function stepLists(text: string): { where: string; steps: Step[] }[] {
  const parsed = yaml.load(text) as unknown;
  if (Array.isArray(parsed)) return [{ where: 'steps', steps: parsed as Step[] }];
  const jobs = (parsed as { jobs?: Record<string, { steps?: Step[] }> } | null)?.jobs ?? {};
  return Object.entries(jobs).map(([name, job]) => ({ where: `job ${name}`, steps: job.steps ?? [] }));
}

const isRotation = (step: Step): boolean => THIS_ACTION.test(step.uses ?? '') && String(step.with?.['rotate']) === 'true';

/** How the rotations of one workflow or snippet stray from the shared names, one sentence each. */
export function rotationNameProblems({ source, text }: Source): string[] {
  const problems: string[] = [];
  for (const { where, steps } of stepLists(text)) {
    for (const step of steps.filter(isRotation)) {
      const given = step.with ?? {};
      for (const [input, expected] of Object.entries(ROTATION_NAMES)) {
        if (given[input] !== expected)
          problems.push(`${source}: ${where} rotates with ${input} ${JSON.stringify(given[input])}, not ${JSON.stringify(expected)}.`);
      }
      const token = /^\$\{\{ steps\.([\w-]+)\.outputs\.token \}\}$/.exec(String(given['github-token']));
      const app = steps.find((candidate) => candidate.id === token?.[1] && APP_TOKEN_ACTION.test(candidate.uses ?? ''));
      if (!app) {
        problems.push(
          `${source}: ${where} rotates with github-token ${JSON.stringify(given['github-token'])}, not the token of a create-github-app-token step.`,
        );
      } else {
        for (const [input, expected] of Object.entries(APP_TOKEN_NAMES)) {
          if (app.with?.[input] !== expected)
            problems.push(`${source}: ${where} makes the App token with ${input} ${JSON.stringify(app.with?.[input])}, not ${JSON.stringify(expected)}.`);
        }
      }
      if (given['rotate-if-expires-within-days'] !== undefined && given['new-key-expires-in-days'] === undefined) {
        problems.push(`${source}: ${where} rotates only when due but gives no new-key-expires-in-days: a new key that never expires is never due again.`);
      }
    }
  }
  return problems;
}

const examples: Source[] = readdirSync(resolve(ROOT, 'examples'))
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => ({ source: `examples/${name}`, text: readText(`examples/${name}`) }));
const readmeBlocks: Source[] = codeBlocks(readText('README.md'))
  .filter(isYamlBlock)
  .map((block) => ({ source: `README.md:${block.line}`, text: block.text }));
const rotating = (sources: Source[]): string[] =>
  sources.filter((source) => stepLists(source.text).some(({ steps }) => steps.some(isRotation))).map((source) => source.source);

test('the rotations the repository shows are found: every rotation example, and the README dry run and scheduled rotation', () => {
  expect(rotating(examples)).toEqual(
    expect.arrayContaining([
      'examples/rotate-and-hand-off.yml',
      'examples/rotate-then-deploy.yml',
      'examples/rotation-dry-run.yml',
      'examples/rotation-when-due.yml',
      'examples/scheduled-rotation.yml',
    ]),
  );
  expect(rotating(readmeBlocks).length).toBeGreaterThanOrEqual(2);
});

test('every rotation in examples/ and the README uses the same secret and variable names', () => {
  expect([...examples, ...readmeBlocks].flatMap(rotationNameProblems)).toEqual([]);
});

test('a rotation with other names, another token, or due without an expiry is caught', () => {
  // The dry run as it once was: the deploy key, which lacks update:bot, and another variable.
  const dryRun = readText('examples/rotation-dry-run.yml')
    .replace('secrets.PREFECT_ADMIN_API_KEY', 'secrets.PREFECT_API_KEY')
    .replace('vars.PREFECT_DEPLOY_SERVICE_ACCOUNT_ID', 'vars.PREFECT_SERVICE_ACCOUNT_ID');
  expect(rotationNameProblems({ source: 'dry-run.yml', text: dryRun })).toEqual([
    'dry-run.yml: job rotate rotates with api-key "${{ secrets.PREFECT_API_KEY }}", not "${{ secrets.PREFECT_ADMIN_API_KEY }}".',
    'dry-run.yml: job rotate rotates with service-account-id "${{ vars.PREFECT_SERVICE_ACCOUNT_ID }}", not "${{ vars.PREFECT_DEPLOY_SERVICE_ACCOUNT_ID }}".',
  ]);

  const otherToken = readText('examples/scheduled-rotation.yml')
    .replace('${{ steps.app-token.outputs.token }}', '${{ secrets.GITHUB_TOKEN }}')
    .replace('secret-name: PREFECT_API_KEY', 'secret-name: PREFECT_KEY');
  expect(rotationNameProblems({ source: 'token.yml', text: otherToken })).toEqual([
    'token.yml: job rotate rotates with secret-name "PREFECT_KEY", not "PREFECT_API_KEY".',
    'token.yml: job rotate rotates with github-token "${{ secrets.GITHUB_TOKEN }}", not the token of a create-github-app-token step.',
  ]);

  const otherApp = readText('examples/scheduled-rotation.yml').replace('vars.KEY_ROTATION_APP_CLIENT_ID', 'vars.APP_ID');
  expect(rotationNameProblems({ source: 'app.yml', text: otherApp })).toEqual([
    'app.yml: job rotate makes the App token with client-id "${{ vars.APP_ID }}", not "${{ vars.KEY_ROTATION_APP_CLIENT_ID }}".',
  ]);

  const neverDueAgain = readText('examples/rotation-when-due.yml').replace(/^\s+new-key-expires-in-days:.*\n/m, '');
  expect(rotationNameProblems({ source: 'due.yml', text: neverDueAgain })).toEqual([
    'due.yml: job rotate rotates only when due but gives no new-key-expires-in-days: a new key that never expires is never due again.',
  ]);

  // A README snippet of steps is read as one job's steps.
  const snippet = ['- uses: your-org/prefect-cloud-key-action@v1', '  with:', '    rotate: true', ''].join('\n');
  expect(rotationNameProblems({ source: 'snippet', text: snippet })).toHaveLength(5);
});
