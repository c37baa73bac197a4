// A secret write that GitHub never answers, after the key has been rotated:
// the attempt is given its share of the time left (src/http/retry.ts
// attemptShare), not all of it, so the retry that succeeds is sent before the
// deadline and the secret holds the new key. Writing a secret again is
// harmless (PUT): GitHub keeps the last value.

import { annotations, expectNoLeak } from '../support/action.ts';
import { useEmulator } from '../support/emulator.ts';
import { repoSecret, restInputs } from '../support/rotation.ts';
import { rotateInProcess } from '../support/in-process-step.ts';

const emulator = useEmulator();

test('the first write stalls: given up at its share of the time left, sent again, and the secret written within the deadline', async () => {
  const emu = emulator();
  emu.fault('gh-secret-put', { hang: true, times: 1 });
  // A minimum attempt of 2 s (10 s in production) and a retry pause of a tenth of a second: the rule, not the seconds.
  const timeoutSeconds = 8;
  const minAttemptMs = 2_000;
  const run = await rotateInProcess(emu, restInputs(emu, { 'timeout-seconds': String(timeoutSeconds), retries: '3' }), {
    timings: { minAttemptMs, githubRetryBaseMs: 100 },
  });
  expect(run.exitCode).toBe(0);
  const fresh = run.outputs['new-api-key']!;
  expect(emu.secret(repoSecret(emu))?.plaintext).toBe(fresh);
  expect(run.outputs).toMatchObject({ rotation: 'rotated' });
  const puts = emu.requests.filter((request) => request.route === 'gh-secret-put');
  expect(puts).toHaveLength(2);
  expect(puts[1]!.body).toBe(puts[0]!.body);
  // The first attempt had at least the minimum attempt, and far less than the ~8 s left (read from the emulator's clock).
  const abandonedAfter = puts[1]!.at - puts[0]!.at;
  expect(abandonedAfter).toBeGreaterThanOrEqual(minAttemptMs);
  expect(abandonedAfter).toBeLessThan(timeoutSeconds * 1000 - 3_000);
  expect(annotations(run)).toEqual([]);
  expectNoLeak(run, [emu.seed.bot.key, fresh, emu.seed.github.writeToken], ['new-api-key']);
  console.log(`stalled write: sent again after ${abandonedAfter} ms; the run took ${run.durationMs} ms`);
}, 30_000);
