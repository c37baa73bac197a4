// Crash consistency: the runner dies (SIGKILL) at each step boundary of a
// rotation into two repositories, the next step held back by a request that
// never answers so that the kill lands before it. Then the same workflow runs
// again with what the secret holds (the original key when it was never
// written). README: a run that dies at any point does not block the next one;
// afterwards exactly one key is live (REST: once the grace ends) and every
// destination holds it.

import type { Emulator, Fault, RouteName } from '../emulator/index.ts';
import type { ActionRun } from '../support/action.ts';
import { graphqlInputs, repoSecret, restInputs, rotate } from '../support/rotation.ts';
import { withEmulator } from './matrix.ts';

type Api = 'rest' | 'graphql';

/** Short, so that the next run can come after it: within the grace, a rotation whose key nobody may hold is refused. */
const GRACE_S = 8;
const DESTINATIONS = ['octo/app', 'octo/lib'];
/** Holds a step back until the kill: never answers, and never takes effect. */
const HOLD: Fault = { hang: true };
/** Lets the first request on a route through untouched. */
const PASS_ONCE: Fault = { delayMs: 0, times: 1 };

interface KillPoint {
  api: Api;
  name: string;
  /** Kill when stdout shows this... */
  marker?: string;
  /** ...or when the emulator shows the boundary reached (no line marks it). */
  reached?: (emu: Emulator, actorId: string) => boolean;
  faults: [RouteName, Fault][];
  /** The kill may come after the run ended on its own (nothing is left to hold back). */
  mayFinish?: boolean;
  /** Destinations written when the kill lands, if the boundary fixes it. */
  writtenAtKill?: number;
  /** Live keys of the service account when the kill lands (the old one, and the new one once created). */
  liveAtKill: number;
}

const wrote = (repo: string) => `Wrote secret PREFECT_API_KEY to repository ${repo}.`;

function killPoints(api: Api): KillPoint[] {
  const create: RouteName = api === 'rest' ? 'bots-rotate' : 'graphql:create_api_key';
  // GraphQL revokes after the writes: the listing before it is held (the check's expiry lookup and the
  // pre-flight's listing pass). REST has no step left.
  const holdRetire: [RouteName, Fault][] =
    api === 'graphql'
      ? [
          ['graphql:auth_api_key', PASS_ONCE],
          ['graphql:auth_api_key', PASS_ONCE],
          ['graphql:auth_api_key', HOLD],
        ]
      : [];
  return [
    // The create is carried out at once and never answered; no line marks the moment, so the kill comes once the
    // emulator holds the new key (the create's answer is held until the 20 s deadline).
    {
      api,
      name: 'during the create (carried out, its answer never back)',
      reached: (emu, actorId) => emu.liveKeys(actorId).length === 2,
      faults: [[create, { after: true, hang: true }]],
      writtenAtKill: 0,
      liveAtKill: 2,
    },
    // A kill after "Created new key" (the new key's check under way) leaves what this one leaves: the new key live
    // and known to no secret, nothing written; the next run takes the same path. This cell proves both.
    {
      api,
      name: 'after "The new key passed the check"',
      marker: 'The new key passed the check',
      faults: [['gh-secret-put', HOLD]],
      writtenAtKill: 0,
      liveAtKill: 2,
    },
    {
      api,
      name: 'between the two secret writes',
      // The first write stored and the second received (and held).
      reached: (emu) => emu.requests.filter((request) => request.route === 'gh-secret-put').length === 2 && held(emu).filter(Boolean).length === 1,
      faults: [
        ['gh-secret-put', PASS_ONCE],
        ['gh-secret-put', HOLD],
      ],
      writtenAtKill: 1,
      liveAtKill: 2,
    },
    // The "Wrote secret" lines come once every write has ended: the kill after the last is the one state left.
    {
      api,
      name: `after "${wrote(DESTINATIONS[1]!)}" (every write done, the retirement next)`,
      marker: wrote(DESTINATIONS[1]!),
      faults: holdRetire,
      mayFinish: api === 'rest',
      writtenAtKill: 2,
      liveAtKill: 2,
    },
  ];
}

function workflow(emu: Emulator, api: Api, apiKey?: string): Record<string, string> {
  const extra = { 'secret-repositories': DESTINATIONS.join('\n'), 'timeout-seconds': '20', ...(apiKey ? { 'api-key': apiKey } : {}) };
  return api === 'rest' ? restInputs(emu, { ...extra, 'old-key-grace-seconds': String(GRACE_S) }) : graphqlInputs(emu, extra);
}

function account(emu: Emulator, api: Api): { actorId: string; key: string } {
  return api === 'rest' ? { actorId: emu.seed.bot.id, key: emu.seed.bot.key } : { actorId: emu.seed.cloud1.serviceAccountId, key: emu.seed.cloud1.key };
}

function held(emu: Emulator): (string | undefined)[] {
  return DESTINATIONS.map((repo) => emu.secret({ repo, name: 'PREFECT_API_KEY' })?.plaintext);
}

const survived: string[] = [];
const seen = new Map<string, string>();
const points = [...killPoints('rest'), ...killPoints('graphql')];

test.concurrent.each(points.map((point) => [`${point.api}: killed ${point.name}, then the next run`, point] as const))(
  '%s',
  async (_title, point) =>
    withEmulator(async (emu) => {
      const { actorId, key } = account(emu, point.api);
      for (const [route, fault] of point.faults) emu.fault(route, fault);
      // REST: within the grace a run refuses to retire a key another run may just have written, so the next run must
      // come after the grace. Rather than wait it out, the killed run's Prefect lives GRACE_S + 1 s in the past, and
      // the emulator's clock comes back to the present before the next run: every key the killed run made is then as
      // old as if the grace had been waited for (the action reads a key's age from Prefect's timestamps).
      if (point.api === 'rest') emu.advance(-(GRACE_S + 1) * 1000);
      const reached = point.reached;
      const killed: ActionRun = await rotate(
        emu,
        workflow(emu, point.api),
        point.marker ? { killWhenStdout: point.marker } : { killWhen: () => reached!(emu, actorId) },
      );
      if (!point.mayFinish) expect(killed.signal).toBe('SIGKILL');
      else expect([killed.signal, killed.exitCode]).toEqual(killed.signal ? ['SIGKILL', null] : [null, 0]);
      const label = `${point.api}: ${point.name}`;
      const writtenAtKill = held(emu).filter(Boolean).length;
      const liveAtKill = emu.liveKeys(actorId).length;
      seen.set(
        label,
        `${killed.signal ?? `exit ${killed.exitCode}`} after ${killed.durationMs} ms; at the kill ${liveAtKill} live keys, ${writtenAtKill} of ${DESTINATIONS.length} secrets written`,
      );
      if (point.writtenAtKill !== undefined) expect(writtenAtKill).toBe(point.writtenAtKill);
      expect(liveAtKill).toBe(point.liveAtKill);
      emu.clearFaults();

      // The next scheduled run. Cloud 1: ${{ secrets.PREFECT_API_KEY }} of the repository it runs in (the key rotates
      // itself); REST: the admin's key, which the rotation does not change.
      if (point.api === 'rest') emu.advance((GRACE_S + 1) * 1000);
      const next = await rotate(emu, workflow(emu, point.api, point.api === 'rest' ? undefined : (emu.secret(repoSecret(emu))?.plaintext ?? key)));
      expect(next.exitCode).toBe(0);
      if (point.api === 'rest') emu.advance((GRACE_S + 1) * 1000);
      const live = emu.liveKeys(actorId).map((record) => record.value);
      expect(live).toHaveLength(1);
      expect(held(emu)).toEqual(DESTINATIONS.map(() => live[0]));
      seen.set(label, `${seen.get(label)}; next run: exit ${next.exitCode}, 1 live key, held by every destination`);
      survived.push(label);
    }),
  40_000,
);

afterAll(() => {
  process.stdout.write(
    `\n== Crash consistency: kill points survived ${survived.length} of ${points.length}\n${points.map((point) => `${survived.includes(`${point.api}: ${point.name}`) ? 'survived' : 'FAILED  '} ${point.api}: killed ${point.name} (${seen.get(`${point.api}: ${point.name}`) ?? 'no run'})`).join('\n')}\n`,
  );
});
