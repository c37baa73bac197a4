// The audit action run as the runner runs it: audit/action.yml's declared
// inputs with their defaults, its bundle (runs.main, ../dist/audit/index.js)
// spawned, outputs and summary through files. What only a process shows: the
// key masked before anything else, the defaults in force, the exit code, the
// outputs written on a failed step, a thousand service accounts in six
// requests, the bundle running alone, and no secret anywhere (every run is
// scanned by runAction).

import { copyFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ENTRY, annotations, masksOf, renderedSummary, runAction } from '../support/action.ts';
import { useEmulator, workspaceUrlOf } from '../support/emulator.ts';
import { scratchDirectory } from '../support/scratch.ts';

const emulator = useEmulator();
const DAY = 86_400_000;
const AUDIT = { action: 'audit' };
const inDays = (days: number) => new Date(Date.now() + days * DAY + 3_600_000);

test('the defaults (warn-within-days 14, no failure on expiry): a warning for the key due in 10 days, none for 20; exit 0; the key masked first', async () => {
  const emu = emulator();
  emu.addServiceAccount('nightly-etl', inDays(10));
  emu.addServiceAccount('monthly', inDays(20));
  const { user, account } = emu.seed;
  const run = await runAction({ 'api-key': user.key, 'api-url': emu.apiUrl, account: account.handle }, AUDIT);
  expect(run.exitCode).toBe(0);
  expect(run.stderr).toBe('');
  expect(run.stdout.startsWith(masksOf(user.key))).toBe(true);
  const keys = JSON.parse(run.outputs.keys!) as Array<Record<string, unknown>>;
  expect(keys.map((key) => [key['service-account'], key['days-left']])).toEqual([
    ['nightly-etl', 10],
    ['monthly', 20],
    ['dashboard-reader', null],
    ['deployer', null],
    ['key-rotator', null],
    ['staging-deployer', null],
  ]);
  expect(run.outputs).toMatchObject({ status: 'listed', expiring: '1', 'never-expiring': '4' });
  expect(annotations(run)).toEqual([
    {
      level: 'warning',
      title: 'Service account key expires soon',
      message: `The key of service account nightly-etl expires in 10 days (${keys[0]!['expires-at'] as string}): rotate it, or create a new key and update the secrets that hold it, before then.`,
    },
  ]);
  expect(renderedSummary(run)).toContain('### ⚠️ Prefect Cloud service account keys: 1 expires within 14 days');
});

test('fail-within-days: exit 1 with an error naming the key, and every output written all the same', async () => {
  const emu = emulator();
  emu.addServiceAccount('nightly-etl', inDays(3));
  const { account, workspaces } = emu.seed;
  // The key and the workspace URL from the environment, as Prefect's own tools read them.
  const run = await runAction(
    { 'fail-within-days': '7' },
    { ...AUDIT, env: { PREFECT_API_KEY: emu.seed.user.key, PREFECT_API_URL: workspaceUrlOf(emu, account.id, workspaces.prod.id) } },
  );
  expect(run.exitCode).toBe(1);
  expect(run.stdout.startsWith(masksOf(emu.seed.user.key))).toBe(true);
  expect(run.outputs).toMatchObject({ status: 'listed', expiring: '1', 'never-expiring': '4' });
  const errors = annotations(run).filter(({ level }) => level === 'error');
  expect(errors).toEqual([
    {
      level: 'error',
      title: 'Service account keys expire too soon',
      message: expect.stringMatching(
        /^1 service account key expires within 7 days \(fail-within-days\), expired ones included: nightly-etl \(\d{4}-.*Z\)\. Rotate it before then\.$/,
      ),
    },
  ]);
});

test('a key without read:bot: exit 1, forbidden, the permission named; no keys output', async () => {
  const emu = emulator();
  emu.fault('bots-filter', {
    status: 403,
    body: JSON.stringify({ detail: "Forbidden: the account role of this actor does not grant the 'read:bot' permission." }),
  });
  const run = await runAction({ 'api-key': emu.seed.bot.key, 'api-url': emu.apiUrl, account: emu.seed.account.id }, AUDIT);
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toEqual({ status: 'forbidden', keys: '', expiring: '', 'never-expiring': '' });
  const [error] = annotations(run);
  expect(error).toMatchObject({ level: 'error', title: 'Prefect Cloud API key may not read service accounts' });
  expect(error?.message).toContain('needs the account permission read:bot, which every built-in account role grants, from Member up (Member, Admin, Owner)');
});

test('bad input: exit 1, an error naming the input, nothing sent', async () => {
  const emu = emulator();
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl, account: 'acme', 'warn-within-days': 'soon' }, AUDIT);
  expect(run.exitCode).toBe(1);
  expect(annotations(run)).toEqual([
    { level: 'error', title: 'Invalid input', message: 'Input warn-within-days must be a whole number from 0 to 3650, got "soon".' },
  ]);
  expect(emu.requests).toEqual([]);
});

test('a thousand service accounts: six requests to bots/filter (five full pages of 200, then an empty one), all reported', async () => {
  const emu = emulator();
  // The seed holds four; 996 more make a thousand.
  for (let i = 0; i < 996; i += 1) emu.addServiceAccount(`sa-${String(i).padStart(4, '0')}`, i % 2 === 0 ? inDays(1 + (i % 400)) : null);
  const run = await runAction({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl, account: emu.seed.account.id, 'warn-within-days': '0' }, AUDIT);
  expect(run.exitCode).toBe(0);
  expect(emu.requests.map((request) => request.route)).toEqual(Array(6).fill('bots-filter'));
  const keys = JSON.parse(run.outputs.keys!) as Array<{ 'days-left': number | null }>;
  expect(keys).toHaveLength(1000);
  expect(run.outputs['never-expiring']).toBe(String(498 + 4));
  // Soonest first: days-left never falls, and every key that never expires comes after every key that does.
  const days = keys.map((key) => key['days-left']);
  const firstNever = days.indexOf(null);
  expect(firstNever).toBe(498);
  expect(days.slice(firstNever).every((day) => day === null)).toBe(true);
  expect((days.slice(0, firstNever) as number[]).every((day, index, all) => index === 0 || all[index - 1]! <= day)).toBe(true);
  expect(renderedSummary(run)).toContain('Listed in 6 requests');
  expect(renderedSummary(run)).toContain('and 800 more, listed in the keys output.');
});

test('the audit bundle holds nothing of the rotation, Octokit or libsodium, and runs from its own file alone', async () => {
  const emu = emulator();
  // The built bundle itself, also when the other tests run the sources (ACTION_UNDER_TEST=src).
  const entry = join(dirname(ENTRY), 'audit/index.js');
  expect(readFileSync(entry, 'utf8')).not.toMatch(/octokit|libsodium|sealed_box|crypto_box/i);
  const alone = scratchDirectory('audit-alone');
  for (const file of ['index.js', 'package.json']) copyFileSync(join(entry, '..', file), join(alone, file));
  const run = await runAction(
    { 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl, account: emu.seed.account.id },
    { ...AUDIT, entry: join(alone, 'index.js') },
  );
  expect(run.exitCode).toBe(0);
  expect(run.stderr).toBe('');
  expect(run.outputs.status).toBe('listed');
});

test("a hostile name in Prefect's answer: no workflow command, no markup, and the key it holds never shown", async () => {
  const emu = emulator();
  const { user } = emu.seed;
  emu.addServiceAccount('##[error]forged <img src=x onerror=alert(1)>', inDays(1));
  emu.addServiceAccount(`copy of ${user.key}`, inDays(2));
  const run = await runAction({ 'api-key': user.key, 'api-url': emu.apiUrl, account: emu.seed.account.id }, AUDIT);
  expect(run.exitCode).toBe(0);
  // Only the action's own warnings: the name's ##[ is broken, and no line of the log starts a command of its own.
  expect(annotations(run).map(({ level, title }) => [level, title])).toEqual([
    ['warning', 'Service account key expires soon'],
    ['warning', 'Service account key expires soon'],
  ]);
  expect(run.stdout).not.toContain('##[error]');
  expect(run.stdout).toContain('## [error]forged');
  expect(run.summary).toContain('\\#\\#\\[error\\]forged \\<img src=x onerror=alert(1)\\>');
  // The name that holds the key: *** in the log, the summary and the keys output (runAction's scan found the key nowhere).
  expect(run.stdout).toContain('The key of service account copy of *** expires in 2 days');
  expect(JSON.parse(run.outputs.keys!)[1]['service-account']).toBe('copy of ***');
});

test('the key from PREFECT_API_KEY, trimmed, is masked before anything else; a value shorter than a key is refused and never masked', async () => {
  const emu = emulator();
  const key = emu.seed.user.key;
  const fromEnv = await runAction({ 'api-key': '', 'api-url': emu.apiUrl, account: emu.seed.account.id }, { ...AUDIT, env: { PREFECT_API_KEY: `  ${key}  ` } });
  expect(fromEnv.exitCode).toBe(0);
  expect(fromEnv.stdout.startsWith(masksOf(key))).toBe(true);
  // Sixteen characters, the shortest value masked as a credential, and one fewer.
  const sixteen = await runAction({ 'api-key': 'x'.repeat(16), 'api-url': emu.apiUrl, account: emu.seed.account.id }, AUDIT);
  expect(sixteen.stdout.startsWith(masksOf('x'.repeat(16)))).toBe(true);
  const short = await runAction({ 'api-key': 'x'.repeat(15), 'api-url': emu.apiUrl, account: emu.seed.account.id }, AUDIT);
  expect(short.exitCode).toBe(1);
  expect(short.stdout).not.toContain('::add-mask::');
  expect(annotations(short).map(({ level, title }) => [level, title])).toEqual([['error', 'Invalid input']]);
  // No key at all: nothing to mask, nothing sent.
  const none = await runAction({ 'api-key': '', 'api-url': emu.apiUrl, account: emu.seed.account.id }, AUDIT);
  expect(none.exitCode).toBe(1);
  expect(none.stdout).not.toContain('::add-mask::');
  expect(annotations(none).map(({ level, title }) => [level, title])).toEqual([['error', 'Invalid input']]);
});

test('a failure of the step itself, not of Prefect or the inputs, is an error titled as the audit failing', async () => {
  const emu = emulator();
  // The job summary cannot be written: its path is a directory.
  const run = await runAction(
    { 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl, account: emu.seed.account.id },
    { ...AUDIT, env: { GITHUB_STEP_SUMMARY: scratchDirectory('audit-summary') } },
  );
  expect(run.exitCode).toBe(1);
  expect(annotations(run).map(({ level, title }) => [level, title])).toEqual([['error', 'Prefect Cloud key audit failed']]);
});
