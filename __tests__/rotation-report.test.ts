// What src/rotate/report.ts makes of a rotation's outcome: every output with
// its value in each case, the new key only while it is live, and the whole
// summary for a rotation done, a dry run, one not due and one failed.

import type { RotationOutcome } from '../src/rotate/plan.ts';
import { reportRotation } from '../src/rotate/report.ts';

const NEW_KEY = { id: '11111111-2222-3333-4444-555555555555', value: 'pnb_newkeynewkeynewkeynewkeynewkeynewk', expiresAt: '2027-01-01T00:00:00Z' };

function outcome(overrides: Partial<RotationOutcome>): RotationOutcome {
  return { dryRun: false, rotated: false, newKeyLive: false, written: [], failed: [], steps: [], ...overrides };
}

async function report(value: RotationOutcome) {
  const outputs: Record<string, string>[] = [];
  const secrets: [string, string][] = [];
  const summaries: string[] = [];
  await reportRotation(
    {
      setOutputs: (values) => void outputs.push(values),
      setSecretOutput: (name, secret) => void secrets.push([name, secret]),
      appendSummary: async (markdown) => void summaries.push(markdown),
    },
    value,
    'PREFECT_API_KEY',
  );
  expect(outputs).toHaveLength(1);
  expect(summaries).toHaveLength(1);
  return { outputs: outputs[0]!, secrets, summary: summaries[0]! };
}

test('a rotation done: the new key, every secret written, the old key revoked', async () => {
  const result = await report(
    outcome({
      rotated: true,
      newKey: NEW_KEY,
      newKeyLive: true,
      written: [
        { kind: 'repo', repo: 'acme/app' },
        { kind: 'environment', repo: 'acme/app', environment: 'prod' },
        { kind: 'org', org: 'acme' },
      ],
      retirement: { revoked: true, detail: 'revoked' },
      steps: ['Created a key', 'Wrote *it*'],
    }),
  );
  expect(result.outputs).toEqual({
    rotation: 'rotated',
    'new-key-id': NEW_KEY.id,
    'new-key-expires-at': NEW_KEY.expiresAt,
    'old-key-expires-at': '',
  });
  expect(result.secrets).toEqual([['new-api-key', NEW_KEY.value]]);
  expect(result.summary).toBe(
    [
      '### Key rotation: 🔁 done',
      '',
      '- Created a key',
      '- Wrote \\*it\\*',
      '',
      '| Secret PREFECT_API_KEY in | Written |',
      '| --- | --- |',
      '| repository acme/app | ✅ |',
      '| environment prod of acme/app | ✅ |',
      '| organization acme | ✅ |',
    ].join('\n'),
  );
});

test('a failed write: the secret not updated, the failure in the table and the error in bold', async () => {
  const result = await report(
    outcome({
      newKey: { ...NEW_KEY, expiresAt: null },
      newKeyLive: true,
      written: [{ kind: 'repo', repo: 'acme/app' }],
      failed: [{ destination: { kind: 'org', org: 'acme' }, reason: 'HTTP 403', mayHaveLanded: false }],
      retirement: { revoked: false, expiresAt: '2026-12-04T00:00:00Z', detail: 'left to expire' },
      steps: [],
      error: 'The secret in organization acme could not be written',
    }),
  );
  expect(result.outputs).toEqual({
    rotation: 'failed',
    'new-key-id': NEW_KEY.id,
    'new-key-expires-at': '',
    'old-key-expires-at': '2026-12-04T00:00:00Z',
  });
  expect(result.summary).toBe(
    [
      '### Key rotation: ❌ failed',
      '',
      '- **The secret in organization acme could not be written**',
      '',
      '| Secret PREFECT_API_KEY in | Written |',
      '| --- | --- |',
      '| repository acme/app | ✅ |',
      '| organization acme | ❌ |',
    ].join('\n'),
  );
});

test('only failures still get the table', async () => {
  const result = await report(
    outcome({ failed: [{ destination: { kind: 'repo', repo: 'acme/app' }, reason: 'HTTP 404', mayHaveLanded: false }], error: 'failed' }),
  );
  expect(result.outputs.rotation).toBe('failed');
  expect(result.summary).toBe(
    ['### Key rotation: ❌ failed', '', '- **failed**', '', '| Secret PREFECT_API_KEY in | Written |', '| --- | --- |', '| repository acme/app | ❌ |'].join(
      '\n',
    ),
  );
});

test('a new key that was rolled back is neither an output nor a secret output', async () => {
  const result = await report(outcome({ newKey: NEW_KEY, newKeyLive: false, error: 'rolled back' }));
  expect(result.outputs['new-key-id']).toBe('');
  expect(result.outputs['new-key-expires-at']).toBe('');
  expect(result.secrets).toEqual([]);
});

test.each([
  [{ dryRun: true, steps: ['Would create a key'] }, '### Key rotation: 🧪 dry run, nothing changed\n\n- Would create a key', 'dry-run'],
  [{ skipped: 'not due', steps: ['Not due'] }, '### Key rotation: ⏭️ not due, nothing changed\n\n- Not due', 'not-due'],
  [{ dryRun: true, skipped: 'not due' }, '### Key rotation: ⏭️ not due, nothing changed\n', 'not-due'],
  [{ skipped: 'done already', upToDate: true, steps: ['Done'] }, '### Key rotation: ✅ up to date, nothing to do\n\n- Done', 'up-to-date'],
  [{ dryRun: true, error: 'bad' }, '### Key rotation: ❌ failed\n\n- **bad**', 'failed'],
  [{ skipped: 'not due', error: 'bad' }, '### Key rotation: ❌ failed\n\n- **bad**', 'failed'],
  // A key another rotation replaced after it was written: no error, and not rotated.
  [{}, '### Key rotation: ❌ failed\n', 'failed'],
])('verdict of %j', async (overrides, summary, rotation) => {
  const result = await report(outcome(overrides));
  expect(result.summary).toBe(summary);
  expect(result.outputs).toEqual({
    rotation,
    'new-key-id': '',
    'new-key-expires-at': '',
    'old-key-expires-at': '',
  });
  expect(result.secrets).toEqual([]);
});

test('a long step and a long error are cut to their bounds', async () => {
  const result = await report(outcome({ steps: ['s'.repeat(3000)], error: 'e'.repeat(5000) }));
  const [, , step, error] = result.summary.split('\n');
  expect(step!.length).toBeLessThan(2100);
  expect(step!.startsWith(`- ${'s'.repeat(1900)}`)).toBe(true);
  expect(error!.length).toBeLessThan(4100);
  expect(error!.length).toBeGreaterThan(3900);
});
