// A plain check loads only dist/index.js: Octokit, libsodium and the Cloud 1
// client live in chunks that only a rotation (or prefect-api: graphql) loads.
// Proven by running the check from a copy of dist/ that has no chunks at all.

import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ENTRY, expectNoLeak, runAction } from '../support/action.ts';
import { useEmulator, workspaceUrlOf } from '../support/emulator.ts';
import { scratchDirectory } from '../support/scratch.ts';

const emulator = useEmulator();
const dist = dirname(ENTRY);

test('the entry bundle holds neither Octokit nor libsodium; the chunks do', () => {
  const entry = readFileSync(ENTRY, 'utf8');
  expect(entry).not.toMatch(/octokit|libsodium/i);
  const chunks = readdirSync(dist).filter((file) => /^\d+\.index\.js$/.test(file));
  const all = chunks.map((file) => readFileSync(join(dist, file), 'utf8')).join('\n');
  expect(all).toMatch(/octokit-core\.js/);
  expect(all).toMatch(/libsodium/);
});

test('a check runs from dist/index.js alone: no chunk is loaded', async () => {
  const emu = emulator();
  const alone = scratchDirectory('dist-alone');
  for (const file of ['index.js', 'package.json']) copyFileSync(join(dist, file), join(alone, file));
  const { account, workspaces, user } = emu.seed;
  const run = await runAction({ 'api-key': user.key, 'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id) }, { entry: join(alone, 'index.js') });
  expect(run.exitCode).toBe(0);
  expect(run.stderr).toBe('');
  expect(run.outputs).toMatchObject({ status: 'valid' });
  expectNoLeak(run, [user.key]);
});

test('the same copy fails a rotation, which needs its chunk: the test above would notice a chunk loaded by a check', async () => {
  const emu = emulator();
  const alone = scratchDirectory('dist-alone');
  for (const file of ['index.js', 'package.json']) copyFileSync(join(dist, file), join(alone, file));
  const { account, workspaces, bot, github } = emu.seed;
  const run = await runAction(
    {
      'api-key': bot.key,
      'api-url': workspaceUrlOf(emu, account.id, workspaces.prod.id),
      rotate: 'true',
      'service-account-id': bot.id,
      'github-token': github.writeToken,
      'secret-name': 'PREFECT_API_KEY',
      'dry-run': 'true',
    },
    { entry: join(alone, 'index.js'), env: { GITHUB_REPOSITORY: github.repo, GITHUB_API_URL: emu.githubUrl } },
  );
  expect(run.exitCode).toBe(1);
  expect(run.stdout).toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND/);
});
