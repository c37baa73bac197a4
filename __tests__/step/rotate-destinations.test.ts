// Where the new key goes: several repositories, an environment, an organization.

import { expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { restInputs } from '../support/rotation.ts';
import { rotateInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test('several repositories each get the new key, sealed to their own public key', async () => {
  const emu = emulator();
  const { github } = emu.seed;
  const run = await rotateInProcess(emu, restInputs(emu, { 'secret-repositories': `${github.repo},\n${github.otherRepo}\n` }));
  expect(run.exitCode).toBe(0);
  const fresh = run.outputs['new-api-key']!;
  for (const repo of [github.repo, github.otherRepo]) expect(emu.secret({ repo, name: 'PREFECT_API_KEY' })?.plaintext).toBe(fresh);
  expect(run.summary).toContain('| repository octo/lib | ✅ |');
  expectNoLeak(run, [emu.seed.bot.key, fresh, github.writeToken], ['new-api-key']);
});

test('an environment secret', async () => {
  const emu = emulator();
  const { github } = emu.seed;
  const run = await rotateInProcess(emu, restInputs(emu, { 'secret-environment': github.environment }));
  expect(run.exitCode).toBe(0);
  expect(emu.secret({ repo: github.repo, environment: github.environment, name: 'PREFECT_API_KEY' })?.plaintext).toBe(run.outputs['new-api-key']);
  expect(emu.secret({ repo: github.repo, name: 'PREFECT_API_KEY' })).toBeUndefined();
});

test('an organization secret keeps its visibility and selected repositories', async () => {
  const emu = emulator();
  const { github } = emu.seed;
  const run = await rotateInProcess(emu, restInputs(emu, { 'secret-organization': github.org }));
  expect(run.exitCode).toBe(0);
  const stored = emu.secret({ org: github.org, name: github.orgSecret.name });
  expect(stored).toMatchObject({
    plaintext: run.outputs['new-api-key'],
    visibility: 'selected',
    selectedRepositoryIds: github.orgSecret.selectedRepositoryIds,
  });
});

test('an organization secret that does not exist yet is refused in pre-flight', async () => {
  const emu = emulator();
  const run = await rotateInProcess(emu, restInputs(emu, { 'secret-organization': emu.seed.github.org, 'secret-name': 'NEW_SECRET' }));
  expect(run.exitCode).toBe(1);
  expect(run.stdout).toContain(
    'Pre-flight failed, nothing was changed: Organization secret NEW_SECRET does not exist in octo, or github-token cannot see it. Create it once with the visibility it should have; rotation keeps that visibility.',
  );
  expect(emu.requests.some((request) => request.route === 'bots-rotate')).toBe(false);
});
