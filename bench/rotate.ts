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
    // Held to the rules __tests__/step/rotate-many-repositories.test.ts checks on five: every secret written, one write
    // in flight at a time, a second apart, no limit tripped.
    const fresh = run.outputs['new-api-key'];
    const unwritten = repositories.filter((repo) => emulator.secret({ repo, name: 'PREFECT_API_KEY' })?.plaintext !== fresh);
    const times = emulator.requests.filter((request) => request.route === 'gh-secret-put').map((request) => request.at);
    const close = times.filter((at, index) => index > 0 && at - times[index - 1]! < 1000).length;
    if (unwritten.length > 0 || close > 0 || emulator.maxConcurrentGithubMutations > 1 || emulator.githubLimitBreaches.length > 0)
      throw new Error(
        `the rotation into ${count} repositories broke a rule: ${unwritten.length} secrets not written, ${close} writes less than 1 s apart, ` +
          `${emulator.maxConcurrentGithubMutations} writes in flight at once, ${emulator.githubLimitBreaches.length} limits tripped`,
      );
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
