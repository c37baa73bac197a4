// A hostile server's corpus: every server field that could reach a log line,
// the job summary or an output, each payload written to command the runner,
// unmask a key, forge an output or rewrite the summary, and the judge that
// reads a run the way the runner reads it (support/runner-model.ts). Shared by
// the in-process matrix (__tests__/hostile-server.test.ts, every field ×
// every payload) and the spawned runs of the built action (faults/hostile.test.ts).

import type { Emulator, Fault, RouteName } from '../emulator/index.ts';
import { maskKey } from '../emulator/api-keys.ts';
import { parseAction, readText } from '../repo/markdown.ts';
import { renderedSummary, type ActionRun } from './action.ts';
import { prodWorkspaceEntry } from './emulator.ts';
import { graphqlInputs, restInputs } from './rotation.ts';
import { INTENDED_COMMANDS, readAsRunner } from './runner-model.ts';

/** What marks text that came from the hostile server. */
export const MARK = 'PWNED';
/** The summary's bound (src/runner.ts MAX_SUMMARY_BYTES). */
const SUMMARY_BOUND = 64 * 1024;

export const PAYLOADS: Record<string, string> = {
  'LF then a :: command': `acme\n::set-output name=rotated::${MARK}`,
  'CR then a :: command': `acme\r::error title=${MARK}::forged annotation`,
  '##[cmd] mid-line': `acme ##[set-output name=rotated]${MARK}`,
  'stop-commands': `acme\n::stop-commands::${MARK}`,
  'STOP-COMMANDS in capitals': `acme\r\n::STOP-COMMANDS::${MARK}`,
  'a colon in the properties': `acme\n::warning title=a:${MARK}::forged annotation`,
  '%0A and a command': `acme%0A::error::${MARK}`,
  'a heredoc delimiter line': `x\nghadelimiter_00000000-0000-0000-0000-000000000000\nrotated<<EOF\n${MARK}\nEOF`,
  HTML: `<img src=x onerror=alert(1)><b>${MARK}</b><!--`,
  'Markdown table, heading, link, image': `x|${MARK}|\n# ${MARK}\n[${MARK}](https://evil.example)\n![${MARK}](https://evil.example/i.png)`,
  'a 1 MB string': `${MARK}${'A'.repeat(1_100_000)}`,
  'control characters': `${MARK}\u0000\u001b[31m\u0007\u2028\u0085`,
};

export interface Field {
  name: string;
  route: RouteName;
  fault: (emu: Emulator, payload: string) => Fault;
  /** What the step does: a check, a Cloud 1 check, a REST or a Cloud 1 rotation, with these inputs besides. */
  kind: Kind;
  extra?: Record<string, string>;
}

export type Kind = 'check' | 'cloud1 check' | 'rest' | 'cloud1';

const json = (status: number, value: unknown): Fault => ({ status, body: JSON.stringify(value) });
const NEW_KEY = `pnb_${'N'.repeat(36)}`;
const NEW_KEY_ID = '5b0d3c2e-1f4a-4c8e-9a7b-3d2e1f0a9b8c';

function workspacesAnswer(emu: Emulator, change: Record<string, string>) {
  return json(200, [prodWorkspaceEntry(emu, change)]);
}

function botAnswer(emu: Emulator, change: Record<string, unknown>) {
  const { bot, account } = emu.seed;
  const apiKey = { id: bot.keyId, created: '2026-01-01T00:00:00Z', name: bot.name, expiration: null, masked_key: 'pnb_...AAAA' };
  return json(200, {
    id: bot.id,
    name: bot.name,
    account_id: account.id,
    actor_id: bot.id,
    account_role_name: 'Member',
    created: '2026-01-01T00:00:00Z',
    updated: '2026-01-01T00:00:00Z',
    api_key: apiKey,
    ...change,
  });
}

function rotatedAnswer(emu: Emulator, key: Record<string, unknown>): Fault {
  const { bot, account } = emu.seed;
  const apiKey = { id: NEW_KEY_ID, created: '2026-01-01T00:00:00Z', name: bot.name, expiration: null, key: NEW_KEY, ...key };
  return { ...json(201, { id: bot.id, name: bot.name, account_id: account.id, api_key: apiKey }), after: true };
}

/** The step's inputs for a field's kind of run. */
export function inputsFor(emu: Emulator, kind: Kind, extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<Kind, () => Record<string, string>> = {
    check: () => ({ 'api-key': emu.seed.user.key, 'api-url': emu.apiUrl }),
    'cloud1 check': () => ({ 'api-key': emu.seed.cloud1.key, 'graphql-url': emu.graphqlUrl, 'prefect-api': 'graphql' }),
    rest: () => restInputs(emu),
    cloud1: () => graphqlInputs(emu, { 'prefect-api': 'graphql' }),
  };
  return { ...base[kind](), retries: '0', ...extra };
}

export const FIELDS: Field[] = [
  {
    name: '/me/workspaces workspace_handle',
    route: 'me-workspaces',
    fault: (emu, p) => workspacesAnswer(emu, { workspace_handle: p }),
    kind: 'check',
    extra: { workspace: 'acme/prod' },
  },
  {
    name: '/me/workspaces account_handle',
    route: 'me-workspaces',
    fault: (emu, p) => workspacesAnswer(emu, { account_handle: p }),
    kind: 'check',
  },
  { name: '/me/workspaces workspace_id', route: 'me-workspaces', fault: (emu, p) => workspacesAnswer(emu, { workspace_id: p }), kind: 'check' },
  { name: '/me/workspaces account_id', route: 'me-workspaces', fault: (emu, p) => workspacesAnswer(emu, { account_id: p }), kind: 'check' },
  {
    name: 'service account name (dry run)',
    route: 'bots-read',
    fault: (emu, p) => botAnswer(emu, { name: p }),
    kind: 'rest',
    extra: { 'dry-run': 'true' },
  },
  { name: 'service account 403 detail', route: 'bots-read', fault: (_emu, p) => json(403, { detail: p }), kind: 'rest' },
  { name: 'rotate_api_key 422 detail', route: 'bots-rotate', fault: (_emu, p) => json(422, { detail: p }), kind: 'rest' },
  { name: 'rotate_api_key api_key.id', route: 'bots-rotate', fault: (emu, p) => rotatedAnswer(emu, { id: p }), kind: 'rest' },
  { name: 'rotate_api_key api_key.key', route: 'bots-rotate', fault: (emu, p) => rotatedAnswer(emu, { key: p }), kind: 'rest' },
  {
    name: 'rotate_api_key api_key.expiration',
    route: 'bots-rotate',
    fault: (emu, p) => rotatedAnswer(emu, { expiration: p }),
    kind: 'rest',
  },
  {
    name: 'Cloud 1 auth_info.tenant_id',
    route: 'graphql:auth_info' as RouteName,
    fault: (emu, p) => json(200, { data: { auth_info: { user_id: emu.seed.cloud1.serviceAccountId, tenant_id: p, role_id: null } } }),
    kind: 'cloud1 check',
  },
  {
    name: 'Cloud 1 auth_info error message',
    route: 'graphql:auth_info' as RouteName,
    fault: (_emu, p) => ({ graphqlError: { message: p, code: 'UNAUTHENTICATED' } }),
    kind: 'cloud1 check',
  },
  {
    name: 'Cloud 1 create_api_key error message',
    route: 'graphql:create_api_key' as RouteName,
    fault: (_emu, p) => ({ graphqlError: { message: p, code: 'FORBIDDEN' } }),
    kind: 'cloud1',
  },
  {
    name: 'Cloud 1 create_api_key key',
    route: 'graphql:create_api_key' as RouteName,
    fault: (_emu, p) => ({ ...json(200, { data: { create_api_key: { id: NEW_KEY_ID, key: p } } }), after: true }),
    kind: 'cloud1',
  },
  {
    name: 'Cloud 1 auth_api_key name',
    route: 'graphql:auth_api_key' as RouteName,
    fault: (emu, p) =>
      json(200, {
        data: {
          auth_api_key: [{ id: emu.seed.cloud1.keyId, name: p, created: '2026-01-01T00:00:00Z', expires_at: null, user_id: emu.seed.cloud1.serviceAccountId }],
        },
      }),
    kind: 'cloud1',
    extra: { 'dry-run': 'true' },
  },
  {
    name: '/me/api_keys expiration (key-expires-at)',
    route: 'me-api-keys',
    fault: (emu, p) =>
      json(200, [{ id: emu.seed.user.keyId, created: '2026-01-01T00:00:00Z', name: 'ci', expiration: p, masked_key: maskKey(emu.seed.user.key) }]),
    kind: 'check',
  },
  {
    name: '/me/workspaces/{id}/scopes entry (scopes)',
    route: 'me-scopes',
    fault: (_emu, p) => json(200, ['see_flows', p]),
    kind: 'check',
    extra: { workspace: 'acme/prod', 'required-scopes': 'see_flows' },
  },
  {
    name: 'service account api_key.expiration (rotate-if-expires-within-days)',
    route: 'bots-read',
    fault: (emu, p) =>
      botAnswer(emu, { api_key: { id: emu.seed.bot.keyId, created: '2026-01-01T00:00:00Z', name: 'deployer', expiration: p, masked_key: 'pnb_...AAAA' } }),
    kind: 'rest',
    extra: { 'rotate-if-expires-within-days': '30' },
  },
  {
    name: 'read_bot_api_keys rotating key expiration (old-key-expires-at)',
    route: 'bots-keys',
    fault: (emu, p) =>
      json(200, {
        active_key: { id: NEW_KEY_ID, created: '2026-01-01T00:00:00Z', name: 'deployer', expiration: null, masked_key: 'pnb_...NNNN' },
        rotating_keys: [{ id: emu.seed.bot.keyId, created: '2026-01-01T00:00:00Z', name: p, expiration: p, masked_key: 'pnb_...AAAA' }],
      }),
    kind: 'rest',
  },
  {
    name: 'Cloud 1 auth_info.user_id',
    route: 'graphql:auth_info' as RouteName,
    fault: (emu, p) => json(200, { data: { auth_info: { user_id: p, tenant_id: emu.seed.cloud1.tenantId, role_id: null } } }),
    kind: 'cloud1 check',
  },
  {
    name: 'Cloud 1 create_api_key id (new-key-id)',
    route: 'graphql:create_api_key' as RouteName,
    fault: (_emu, p) => ({ ...json(200, { data: { create_api_key: { id: p, key: 'C'.repeat(40) } } }), after: true }),
    kind: 'cloud1',
  },
  {
    name: 'Cloud 1 auth_api_key id and expires_at',
    route: 'graphql:auth_api_key' as RouteName,
    fault: (emu, p) =>
      json(200, {
        data: { auth_api_key: [{ id: p, name: emu.seed.cloud1.keyName, created: p, expires_at: p, user_id: emu.seed.cloud1.serviceAccountId }] },
      }),
    kind: 'cloud1',
    extra: { 'dry-run': 'true' },
  },
  {
    name: 'GitHub public key 403 message',
    route: 'gh-public-key',
    fault: (_emu, p) => json(403, { message: p, documentation_url: 'https://docs.github.com/rest' }),
    kind: 'rest',
  },
  {
    name: 'GitHub secret write 422 message',
    route: 'gh-secret-put',
    fault: (_emu, p) => json(422, { message: p, documentation_url: 'https://docs.github.com/rest' }),
    kind: 'rest',
  },
];

const OUTPUTS = new Set(Object.keys(parseAction(readText('action.yml')).outputs));

/** Every form in which a credential is masked: raw, JSON-escaped, URL-encoded, base64. */
function forms(secret: string): string[] {
  return [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
}

/** What a run showed: its stdout as the runner reads it, its summary and its outputs. */
export type Shown = Pick<ActionRun, 'stdout' | 'summary' | 'outputs'>;

/**
 * How a run is judged. In-process, the runner's module has masked a value once for the whole file, so the
 * values the action gave it to mask are `masked`; and the summary is what the action wrote, before the
 * runner cuts it to its bound (`bounded: false`; runner-bounds.test.ts and the spawned runs hold the bound).
 */
export interface Judging {
  masked?: string[];
  bounded?: boolean;
}

export interface Verdict {
  unintended: string[];
  unmasked: number;
  forged: string[];
  summary: string[];
}

export function judge(emu: Emulator, inputs: { key: string; token?: string }, run: Shown, how: Judging = {}): Verdict {
  const reading = readAsRunner(run.stdout);
  const credentials = [inputs.key, inputs.token, run.outputs['new-api-key']].filter((value): value is string => Boolean(value));
  for (const id of [emu.seed.bot.id, emu.seed.cloud1.serviceAccountId]) credentials.push(...emu.liveKeys(id).map((key) => key.value));
  const legitimateMasks = new Set(credentials.flatMap(forms));
  const unintended = reading.commands
    .filter(
      (command) =>
        !INTENDED_COMMANDS.has(command.name) ||
        command.form !== '::' ||
        (command.name === 'add-mask' && !legitimateMasks.has(command.data.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%'))) ||
        (['error', 'warning', 'notice'].includes(command.name) && !/^title=/.test(command.properties)) ||
        command.properties.includes(MARK),
    )
    .map((command) => `${command.form}${command.name}`);
  // Every credential the action was given or made must have been registered with the runner.
  const shouldBeMasked = [inputs.key, inputs.token, run.outputs['new-api-key']].filter((value): value is string => Boolean(value));
  const masks = how.masked ?? reading.masks;
  const unmasked = shouldBeMasked.filter((secret) => !masks.includes(secret)).length;
  const forged = Object.entries(run.outputs)
    .filter(([name, value]) => !OUTPUTS.has(name) || value.includes(MARK))
    .map(([name]) => name);
  const summary: string[] = [];
  if (how.bounded !== false && Buffer.byteLength(run.summary) > SUMMARY_BOUND) summary.push(`${Buffer.byteLength(run.summary)} bytes`);
  const raw = run.summary;
  if (/(?<!\\)</.test(raw)) summary.push('raw <');
  if (/(?<!\\)\[/.test(raw)) summary.push('raw [');
  for (const line of raw.split('\n')) {
    if (line.startsWith('#') && !line.startsWith('### ')) summary.push(`a heading: ${line.slice(0, 20)}`);
    if (line.startsWith('|') && ![3, 6].includes((line.match(/(?<!\\)\|/g) ?? []).length)) summary.push('a broken table row');
  }
  if (
    renderedSummary(run)
      .split('\n')
      .some((line) => line.startsWith('#') && !line.startsWith('### ') && line.includes(MARK))
  )
    summary.push('an outside heading');
  return { unintended, unmasked, forged, summary };
}

/** Every payload but the megabyte one, each on its own line: one value that tries all of them at once. */
export const ALL_SHORT_PAYLOADS = Object.entries(PAYLOADS)
  .filter(([name]) => name !== 'a 1 MB string')
  .map(([, payload]) => payload)
  .join('\n');

/** judge() asks the emulator only for live keys; a stand-in with none serves a synthetic run. */
export function withoutEmulator<T>(work: (emu: Emulator) => T): T {
  return work({ seed: { bot: { id: 'b' }, cloud1: { serviceAccountId: 'c' } }, liveKeys: () => [] } as unknown as Emulator);
}

/** A run is a rotation when its field's kind is one. */
export const isRotation = (kind: Kind) => kind === 'rest' || kind === 'cloud1';
