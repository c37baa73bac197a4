// A rotation into several repositories: GitHub asks for one mutating request
// at a time, a second apart; the rotation's deadline grows with the
// destinations, so it completes without tripping a limit. Five repositories
// here; the largest the inputs accept, 100, is `npm run bench:rotate`'s (it
// holds that run to the same rules), as it takes over 100 s of GitHub's spacing.
// In-process: the spacing is a rule of the rotation, not of the process; the
// emulator counts it on the wall clock, as GitHub does, so it is not shrunk.

import { expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { rotateInProcess as rotate } from '../support/in-process-step.ts';
import { restInputs } from '../support/rotation.ts';

const emulator = useEmulator();

test('5 repositories: every secret written, never two writes in flight, no limit tripped', async () => {
  const emu = emulator();
  const extra = Array.from({ length: 3 }, (_, index) => `octo/service-${String(index + 1).padStart(3, '0')}`);
  for (const repo of extra) emu.addRepository(repo);
  const repositories = ['octo/app', 'octo/lib', ...extra];
  const run = await rotate(emu, restInputs(emu, { 'secret-repositories': repositories.join('\n') }));
  expect(run.exitCode).toBe(0);
  const fresh = run.outputs['new-api-key']!;
  for (const repo of repositories) expect(emu.secret({ repo, name: 'PREFECT_API_KEY' })?.plaintext).toBe(fresh);
  expect(run.outputs).toMatchObject({ rotation: 'rotated' });
  expect(emu.maxConcurrentGithubMutations).toBe(1);
  expect(emu.githubLimitBreaches).toEqual([]);
  const writes = emu.requests.filter((request) => request.route === 'gh-secret-put').map((request) => request.at);
  expect(writes).toHaveLength(5);
  for (let index = 1; index < writes.length; index += 1) expect(writes[index]! - writes[index - 1]!).toBeGreaterThanOrEqual(1000);
  expectNoLeak(run, [emu.seed.bot.key, fresh, emu.seed.github.writeToken], ['new-api-key']);
}, 60_000);
