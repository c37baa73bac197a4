// Prefect Cloud 1 revocation reaches only keys named exactly
// <key-name>-<UTC time>: a key-name that another starts with (deploy and
// deploy-staging) leaves the other's keys alone.

import { useEmulator } from '../support/emulator.ts';
import { graphqlInputs, repoSecret } from '../support/rotation.ts';
import { rotateInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test('key-name deploy does not revoke a deploy-staging-<UTC time> key', async () => {
  const emu = emulator();
  const { cloud1 } = emu.seed;
  const created = await fetch(emu.graphqlUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${cloud1.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($input: create_api_key_input!) { create_api_key(input: $input) { id key } }',
      variables: { input: { user_id: cloud1.serviceAccountId, name: 'deploy-staging-20260101T000000Z' } },
    }),
  }).then((response) => response.json() as Promise<{ data: { create_api_key: { key: string } } }>);
  const staging = created.data.create_api_key.key;
  const run = await rotateInProcess(emu, graphqlInputs(emu, { 'key-name': 'deploy' }));
  expect(run.exitCode).toBe(0);
  expect(emu.isKeyLive(staging)).toBe(true);
  expect(emu.isKeyLive(cloud1.key)).toBe(false); // old-key-id
  expect(emu.isKeyLive(emu.secret(repoSecret(emu))!.plaintext)).toBe(true);
});
