// npm run bench:rotate: how long a REST rotation takes into 1, 10 and 100
// repository secrets, through dist/index.js against the emulator. GitHub asks
// for a second between mutating requests, so the writes set the pace.

import { startEmulator } from '../__tests__/emulator/index.ts';
import { runAction } from '../__tests__/support/action.ts';
import { restInputs, runnerEnv } from '../__tests__/support/rotation.ts';

const emulator = await startEmulator();
try {
  console.log('| repositories | rotation (exit 0) | secret writes | GitHub requests validated | most writes in flight | limit breaches |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const count of [1, 10, 100]) {
    emulator.reset();
    const extra = Array.from({ length: count - 1 }, (_, index) => `octo/service-${String(index + 1).padStart(3, '0')}`);
    for (const repo of extra) emulator.addRepository(repo);
    const repositories = [emulator.seed.github.repo, ...extra];
    const run = await runAction(restInputs(emulator, { 'secret-repositories': repositories.join('\n') }), { env: runnerEnv(emulator) });
    if (run.exitCode !== 0) throw new Error(`the rotation into ${count} repositories exited ${run.exitCode}:\n${run.stdout}`);
    const github = emulator.requests.filter((request) => request.service === 'github');
    const writes = github.filter((request) => request.route === 'gh-secret-put').length;
    const valid = github.filter((request) => request.violations.length === 0).length;
    console.log(
      `| ${count} | ${(run.durationMs / 1000).toFixed(2)} s | ${writes} | ${valid} of ${github.length} | ${emulator.maxConcurrentGithubMutations} | ${emulator.githubLimitBreaches.length} |`,
    );
  }
} finally {
  await emulator.close();
}
