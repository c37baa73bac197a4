// npm run demo: the built action against the local emulator, as a runner runs
// it, in every case a user meets before trusting it. Each case is shown as the
// runner shows a step: the log with registered secrets as ***, annotations as
// Error/Warning lines, then the outputs and the job summary. The audit action
// (audit/action.yml) closes the demo: every service account key of the account.

import { startEmulator, type Emulator } from '../__tests__/emulator/index.ts';
import { renderedSummary, runAction, type ActionRun } from '../__tests__/support/action.ts';
import { restInputs, runnerEnv } from '../__tests__/support/rotation.ts';

const emulator = await startEmulator();
const { account, workspaces, user, bot, viewerBot, unknownKey, github } = emulator.seed;
const prod = `${emulator.apiUrl}/accounts/${account.id}/workspaces/${workspaces.prod.id}`;
const staging = `${emulator.apiUrl}/accounts/${account.id}/workspaces/${workspaces.staging.id}`;

/** The log as the runner shows it: add-mask lines registered, not shown, and every registered value as ***. */
function asShown(run: ActionRun): string[] {
  const masks: string[] = [];
  const lines: string[] = [];
  for (const line of run.stdout.split('\n').filter(Boolean)) {
    if (line.startsWith('::add-mask::')) {
      masks.push(line.slice('::add-mask::'.length));
      continue;
    }
    const hide = (text: string) => masks.reduce((shown, secret) => shown.split(secret).join('***'), text);
    const annotation = /^::(error|warning|notice)(?: title=([^:]*))?::(.*)$/.exec(line);
    if (annotation) {
      const [, level = '', title = '', message = ''] = annotation;
      const decode = (text: string) => text.replace(/%0A/g, ' ').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
      lines.push(`${level[0]!.toUpperCase()}${level.slice(1)}: ${decode(title)}: ${hide(decode(message))}`);
    } else lines.push(hide(line));
  }
  if (masks.length > 0)
    lines.unshift(`(${masks.length} values registered as secrets first, by ::add-mask:: lines the runner hides: the log shows them as ***)`);
  return lines;
}

function show(title: string, why: string, run: ActionRun, outputs: string[]): void {
  const indent = (lines: string[]) => lines.map((line) => `    ${line}`).join('\n');
  console.log(`\n== ${title}\n  ${why}`);
  console.log(`  exit code ${run.exitCode} after ${run.durationMs} ms; the step's log:\n${indent(asShown(run))}`);
  const shown = outputs.map((name) => `${name}=${name === 'new-api-key' && run.outputs[name] ? '*** (masked)' : (run.outputs[name] ?? '')}`);
  console.log(`  outputs: ${shown.join('  ')}`);
  const exported = Object.keys(run.exported);
  if (exported.length > 0) console.log(`  exported for later steps: ${exported.join(', ')}`);
  console.log(`  job summary:\n${indent(renderedSummary(run).trimEnd().split('\n'))}`);
}

const check = (inputs: Record<string, string>) => runAction({ 'api-key': user.key, 'api-url': prod, ...inputs });
const CHECK = ['status', 'status-code', 'key-expires-at', 'key-days-left'];
const ROTATION = ['status', 'rotation', 'new-api-key', 'old-key-expires-at'];

async function rotationRun(emu: Emulator, extra: Record<string, string>): Promise<ActionRun> {
  return runAction(restInputs(emu, extra), { env: runnerEnv(emu) });
}

try {
  console.log(`Prefect Cloud and GitHub emulators listening on ${emulator.url} and ${emulator.githubUrl}`);
  console.log(`Workspace ${account.handle}/${workspaces.prod.handle}: PREFECT_API_URL=${prod}`);

  show('A valid key', 'The key checks valid; its expiry is read alongside, and the key and URL are exported for later steps.', await check({}), CHECK);
  show('A revoked key', 'Prefect answers 401: the step fails and says what to do.', await check({ 'api-key': unknownKey }), CHECK);
  show('No access', "Prefect's own 403: the message names what causes one.", await check({ 'api-key': viewerBot.key }), CHECK);
  show(
    'A workspace the key does not reach',
    'A 404 is explained: the workspaces the key does reach are listed.',
    await runAction({ 'api-key': bot.key, 'api-url': staging }),
    [...CHECK, 'workspaces'],
  );
  emulator.fault('health', { status: 503 });
  show('Prefect Cloud failing', 'Retried with backoff, then unavailable: never "bad key".', await check({ retries: '2' }), CHECK);
  emulator.clearFaults();
  emulator.setWorkspaceRole(bot.actorId, workspaces.prod.id, 'Viewer');
  show(
    'Valid, but may not deploy',
    'required-scopes: the key lacks scopes the deploy needs.',
    await runAction({ 'api-key': bot.key, 'api-url': prod, 'required-scopes': 'run_deployments, write_deployments' }),
    [...CHECK, 'scopes'],
  );
  emulator.reset();
  show(
    'A key expiring in five days',
    'A warning annotation and a summary line, two weeks out by default.',
    await check({ 'api-key': user.expiringKey }),
    CHECK,
  );
  show(
    'A dry run of a rotation',
    "An admin's key, the deploy service account's key: every read and pre-flight check, nothing changed.",
    await rotationRun(emulator, { 'dry-run': 'true' }),
    ROTATION,
  );
  const rotated = await rotationRun(emulator, {});
  show(
    'A rotation into a secret',
    'The new key is masked the instant it arrives, written sealed to the secret, and the old key works through its grace.',
    rotated,
    ROTATION,
  );
  const secret = emulator.secret({ repo: github.repo, name: 'PREFECT_API_KEY' })?.plaintext;
  console.log(`  the emulator's secret ${github.repo}/PREFECT_API_KEY now holds the new key: ${secret === rotated.outputs['new-api-key']}`);

  emulator.reset();
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000 + 3_600_000);
  emulator.addServiceAccount('nightly-etl', inDays(5));
  emulator.addServiceAccount('quarterly-report', inDays(60));
  emulator.addServiceAccount('legacy-sync', inDays(-2));
  const auditInputs = { 'api-key': user.key, 'api-url': emulator.apiUrl, account: account.handle };
  const AUDIT = ['status', 'expiring', 'never-expiring', 'keys'];
  show(
    'An audit of every service account key',
    "audit/action.yml: one key with read:bot lists the account's service accounts and their keys' expiry; a warning for each key due within 14 days.",
    await runAction(auditInputs, { action: 'audit' }),
    AUDIT,
  );
  show(
    'The same audit, failing a week before a key dies',
    'fail-within-days: 7: an error naming every key due that soon, and a failed step; the outputs are written all the same.',
    await runAction({ ...auditInputs, 'fail-within-days': '7' }, { action: 'audit' }),
    AUDIT,
  );
} finally {
  await emulator.close();
}
