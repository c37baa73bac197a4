// Days left until a key expires, counted by one function (daysLeft in
// src/prefect/expiry.ts) wherever the action counts them: the check's output
// and summary, the audit's rows, and rotate-if-expires-within-days. For any
// expiry and any instant they give the same number, and one check's output
// and summary give one number even when the clock crosses a day's boundary
// between them.

import { jest } from '@jest/globals';
import fc from 'fast-check';
import { keyRows } from '../src/audit/expiries.ts';
import type { Bot } from '../src/prefect/bots.ts';
import { daysLeft } from '../src/prefect/expiry.ts';
import { reportCheck } from '../src/report.ts';
import { notDueReason } from '../src/rotate/plan.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T12:00:00.000Z');

/** An expiry within ten years either side of NOW, to the millisecond, and an instant within a day of NOW. */
const expiryAndNow = fc.tuple(
  fc.integer({ min: -3650 * DAY, max: 3650 * DAY }).map((offset) => new Date(NOW + offset).toISOString()),
  fc.integer({ min: -DAY, max: DAY }).map((offset) => NOW + offset),
);

test('daysLeft: whole days rounded down, negative once expired', () => {
  expect(daysLeft(new Date(NOW + DAY).toISOString(), NOW)).toBe(1);
  expect(daysLeft(new Date(NOW + DAY - 1).toISOString(), NOW)).toBe(0);
  expect(daysLeft(new Date(NOW).toISOString(), NOW)).toBe(0);
  expect(daysLeft(new Date(NOW - 1).toISOString(), NOW)).toBe(-1);
});

test('the audit and rotate-if-expires-within-days count the days as daysLeft does', () => {
  fc.assert(
    fc.property(expiryAndNow, fc.integer({ min: 1, max: 3650 }), ([at, now], withinDays) => {
      const bot = { id: 'b', name: 'deployer', keyExpiration: at } as unknown as Bot;
      const days = daysLeft(at, now);
      const reason = notDueReason(at, withinDays, now);
      const rotationAgrees =
        days < withinDays ? reason === undefined : reason === `the key expires at ${at}, in ${days} days: not within ${withinDays}, so it is not due.`;
      return keyRows([bot], now)[0]!['days-left'] === days && rotationAgrees;
    }),
    { numRuns: 2_000, seed: 20_261_207 },
  );
});

test("one check's key-days-left and summary line give one number, though the clock crosses a day's boundary between them", async () => {
  const at = new Date(NOW + 10 * DAY).toISOString();
  // Each reading of the clock is a day later than the one before: counted twice, the two would differ.
  let reading = NOW - DAY;
  const clock = jest.spyOn(Date, 'now').mockImplementation(() => (reading += DAY));
  const outputs: Record<string, string>[] = [];
  const summaries: string[] = [];
  try {
    await reportCheck(
      { setOutputs: (values) => void outputs.push(values), appendSummary: async (text) => void summaries.push(text) },
      {
        result: { status: 'valid', message: 'The key works.' },
        keyType: 'user',
        apiBase: new URL('https://api.prefect.cloud/api'),
        durationMs: 0,
        expiry: { kind: 'expires', at },
      },
    );
  } finally {
    clock.mockRestore();
  }
  expect(outputs[0]!['key-days-left']).toBe('10');
  expect(summaries[0]).toContain(`The key expires at ${at}, in 10 days.`);
});
