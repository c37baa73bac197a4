// npm run bench:audit: how long the audit takes to list 200, 1,000 and 5,000
// service accounts against the emulator, and in how many requests. Two
// figures for each: the network work alone (listServiceAccounts in this
// process, the median of several rounds), and the whole step (audit/action.yml's
// bundle spawned as the runner runs it, its own summary giving the time it
// spent listing). Run `npm run build` first: the step is dist/audit/index.js.

import { startEmulator } from '../__tests__/emulator/index.ts';
import { runAction } from '../__tests__/support/action.ts';
import { defaultPolicy } from '../src/http/retry.ts';
import { listServiceAccounts } from '../src/prefect/service-accounts.ts';

const ROUNDS = 7;
const DAY = 86_400_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const emulator = await startEmulator();
try {
  console.log(`Node ${process.version}; the network work is the median of ${ROUNDS} listings in-process.`);
  console.log('');
  console.log('| service accounts | requests to bots/filter | network work (median) | the step, spawned (exit 0) | of which listing (its summary) |');
  console.log('| ---: | ---: | ---: | ---: | ---: |');
  for (const count of [200, 1000, 5000]) {
    emulator.reset();
    // The seed holds four service accounts.
    for (let i = 4; i < count; i += 1)
      emulator.addServiceAccount(`sa-${String(i).padStart(5, '0')}`, i % 3 === 0 ? null : new Date(Date.now() + (i % 365) * DAY));
    const api = { base: new URL(emulator.apiUrl), apiKey: emulator.seed.user.key, policy: defaultPolicy(3, 30_000) };
    const times: number[] = [];
    let requests = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const started = performance.now();
      const listing = await listServiceAccounts(api, emulator.seed.account.id);
      times.push(performance.now() - started);
      if (listing.serviceAccounts.length !== count) throw new Error(`listed ${listing.serviceAccounts.length} of ${count}`);
      requests = listing.requests;
    }
    emulator.requests.length = 0;
    const run = await runAction(
      { 'api-key': emulator.seed.user.key, 'api-url': emulator.apiUrl, account: emulator.seed.account.id, 'warn-within-days': '0' },
      { action: 'audit' },
    );
    if (run.exitCode !== 0) throw new Error(`the audit of ${count} service accounts exited ${run.exitCode}:\n${run.stdout}`);
    const sent = emulator.requests.filter((request) => request.route === 'bots-filter').length;
    if (sent !== requests) throw new Error(`the step sent ${sent} requests, the listing ${requests}`);
    const listed = /Listed in \d+ requests?, ([\d.]+) s\./.exec(run.summary)?.[1] ?? '?';
    console.log(`| ${count} | ${requests} | ${median(times).toFixed(0)} ms | ${(run.durationMs / 1000).toFixed(2)} s | ${listed} s |`);
  }
} finally {
  await emulator.close();
}
