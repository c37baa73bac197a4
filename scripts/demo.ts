// npm run demo: the built action against a local Prefect Cloud emulator, as a
// runner would run it, once with a valid key and once with a revoked one.

import { runAction, type ActionRun } from '../__tests__/support/action.ts';
import { startEmulator } from '../__tests__/emulator/index.ts';

const emulator = await startEmulator();
const { account, workspaces, bot, unknownKey } = emulator.seed;
const workspaceUrl = `${emulator.apiUrl}/accounts/${account.id}/workspaces/${workspaces.prod.id}`;

function show(title: string, run: ActionRun): void {
  const indent = (text: string) => text.trimEnd().replace(/^/gm, '    ');
  console.log(`\n== ${title}`);
  console.log(`  exit code ${run.exitCode} after ${run.durationMs} ms`);
  console.log(`  stdout (workflow commands and log):\n${indent(run.stdout)}`);
  console.log(
    `  outputs:\n${indent(
      Object.entries(run.outputs)
        .map(([name, value]) => `${name}=${value}`)
        .join('\n'),
    )}`,
  );
  console.log(`  job summary:\n${indent(run.summary)}`);
}

try {
  console.log(`Prefect Cloud emulator listening on ${emulator.url}`);
  console.log(`Checking workspace ${account.handle}/${workspaces.prod.handle}: PREFECT_API_URL=${workspaceUrl}`);
  show('a valid service-account key', await runAction({ 'api-key': bot.key, 'api-url': workspaceUrl }));
  show('a revoked key: the step fails and says what to do', await runAction({ 'api-key': unknownKey, 'api-url': workspaceUrl }));
  show('the same key with fail-on-invalid: false', await runAction({ 'api-key': unknownKey, 'api-url': workspaceUrl, 'fail-on-invalid': 'false' }));
} finally {
  await emulator.close();
}
