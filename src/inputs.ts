// Turns the step's raw inputs into checked values. Every error names the
// input and what it accepts; nothing here touches the network.

import { displayUrl, quotedUrl } from './display-url.ts';
import { closestScopeNames, isWorkspaceScopeName } from './prefect/scope-names.ts';
import { quotedInput, shortQuotedInput } from './safe-text.ts';

export const DEFAULT_API_URL = 'https://api.prefect.cloud/api';
export const DEFAULT_GRAPHQL_URL = 'https://api.prefect.io';

/** A bad input: the step fails with this message and sends nothing. */
export class InputError extends Error {
  override name = 'InputError';
}

export type WorkspaceTarget =
  { kind: 'ids'; accountId: string; workspaceId: string } | { kind: 'handle'; accountHandle: string; workspaceHandle: string } | { kind: 'none' };

/** rest: today's Prefect Cloud; graphql: Prefect Cloud 1. */
export type PrefectApiKind = 'rest' | 'graphql';

export interface CheckInputs {
  /** Empty when neither api-key nor PREFECT_API_KEY holds one: run() then reports missing-key and sends nothing. */
  apiKey: string;
  /** The API base without a trailing slash, e.g. https://api.prefect.cloud/api */
  apiBase: URL;
  workspace: WorkspaceTarget;
  failOnInvalid: boolean;
  timeoutMs: number;
  retries: number;
  rotate: boolean;
  /** Which API checks (and rotates) the key: prefect-api, with auto resolved from the key's prefix. */
  api: PrefectApiKind;
  graphqlUrl: URL;
  /** Export PREFECT_API_KEY and PREFECT_API_URL for the job's later steps when the step succeeds. */
  exportEnv: boolean;
  /** Warn when the key expires within this many days; 0: do not ask Prefect when it expires. */
  warnIfExpiresWithinDays: number;
  /** Workspace scopes the key must hold in the checked workspace; empty: none asked. */
  requiredScopes: string[];
  /** Where api-url came from: the input, PREFECT_API_URL, or the default. */
  apiUrlFrom: ApiUrlSource;
  /** Set when api-url was turned into the API URL it stands for (a web app page, a Prefect Cloud URL without /api): said as a notice. */
  apiUrlCorrected?: string;
  /** Set when the account and workspace inputs won over a workspace URL in PREFECT_API_URL: said as a notice. */
  workspaceNotice?: string;
  /** With rotate false, the rotation inputs that were given anyway (run() warns that they were ignored). */
  ignoredRotationInputs?: string[];
}

/** The job's environment: PREFECT_API_KEY and PREFECT_API_URL stand in for empty inputs, as Prefect's own tools read them. */
export type ReadEnv = (name: string) => string | undefined;

export type ReadInput = (name: string) => string;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HANDLE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const WORKSPACE_PATH = /^(.*)\/accounts\/([^/]+)\/workspaces\/([^/]+)$/;
const MAX_INPUT_LENGTH = 4096;

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** How a message names where a value came from: an input, or PREFECT_API_URL read from the job's environment. */
export function sourceOf(name: string): string {
  return name.startsWith('PREFECT_API_URL') ? name.replace('PREFECT_API_URL', 'PREFECT_API_URL from the environment') : `Input ${name}`;
}

export function readBounded(read: ReadInput, name: string): string {
  const value = read(name);
  if (value.length > MAX_INPUT_LENGTH) {
    throw new InputError(`Input ${name} is ${value.length} characters long; at most ${MAX_INPUT_LENGTH} are accepted.`);
  }
  return value;
}

export function parseUuid(name: string, value: string): string {
  if (!UUID.test(value)) {
    throw new InputError(`${sourceOf(name)} must be a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e, got ${shortQuotedInput(value)}.`);
  }
  return value.toLowerCase();
}

export function parseBoolean(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(`Input ${name} must be true or false, got ${shortQuotedInput(value)}.`);
}

/** A whole or decimal number within [min, max]; `integer` rules out decimals. */
export function parseNumber(name: string, value: string, fallback: number, range: { min: number; max: number; integer?: boolean }): number {
  if (value === '') return fallback;
  const pattern = range.integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
  const number = Number(value);
  const kind = range.integer ? 'a whole number' : 'a number';
  if (!pattern.test(value) || number < range.min || number > range.max) {
    throw new InputError(`Input ${name} must be ${kind} from ${range.min} to ${range.max}, got ${shortQuotedInput(value)}.`);
  }
  return number;
}

/**
 * The shortest credential accepted. Real ones are far longer (a Prefect key is
 * 40 characters, a GitHub token 40 or more); a shorter value is a truncated or
 * wrong secret, and masking it would turn ordinary words in the log into ***.
 */
export const MIN_CREDENTIAL_LENGTH = 16;

/** A credential travels in an HTTP header: one token of printable ASCII. Its value is never shown. */
export function parseToken(name: string, value: string): string {
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new InputError(`Input ${name} must be a single token of printable ASCII characters, without spaces, line breaks or control characters.`);
  }
  if (value.length < MIN_CREDENTIAL_LENGTH) {
    throw new InputError(
      `Input ${name} is ${value.length} characters long; a credential has at least ${MIN_CREDENTIAL_LENGTH}: check that the secret holds the whole value.`,
    );
  }
  return value;
}

/**
 * An empty key is not refused here: it is what a workflow gets for a pull request from a fork or from Dependabot,
 * for a mistyped secret name, or for a secret of an environment the job does not name. run() reports it as a
 * verdict (status missing-key), which fail-on-invalid governs, without sending anything.
 */
function parseApiKey(value: string): string {
  return value === '' ? '' : parseToken('api-key', value);
}

/** An input, or when it is empty the environment variable Prefect's own tools read. */
export function inputOrEnv(read: ReadInput, readEnv: ReadEnv, name: string, variable: string): string {
  const value = readBounded(read, name);
  if (value !== '') return value;
  const fromEnv = (readEnv(variable) ?? '').trim();
  if (fromEnv.length > MAX_INPUT_LENGTH) throw new InputError(`${variable} is ${fromEnv.length} characters long; at most ${MAX_INPUT_LENGTH} are accepted.`);
  return fromEnv;
}

/**
 * Workspace scope names, comma or newline separated, each one Prefect Cloud
 * knows: its scope names are a closed list, and a mistyped one would otherwise
 * be a scope the key "lacks", with advice about a role that grants nothing so named.
 */
function parseScopes(value: string): string[] {
  const scopes = value
    .split(/[,\n]/)
    .map((scope) => scope.trim())
    .filter(Boolean);
  for (const scope of scopes) {
    if (!isWorkspaceScopeName(scope)) {
      const closest = closestScopeNames(scope.toLowerCase()).join(', ');
      throw new InputError(`Input required-scopes lists ${shortQuotedInput(scope)}, which is not a Prefect Cloud workspace scope; the closest are ${closest}.`);
    }
  }
  return [...new Set(scopes)];
}

/**
 * A URL a credential is sent to: https (http only to loopback, for local
 * servers), no credentials, query or fragment, and a plain path, returned
 * without a trailing slash.
 *
 * A user name, password or query is refused rather than dropped: Prefect's
 * and GitHub's APIs are reached with the key or token alone and never need
 * them, so one there is a secret in the wrong place (it would travel as Basic
 * authentication, or in the logs of every proxy on the way), and dropping it
 * silently would hide that. No error repeats the value as given: it is shown
 * as displayUrl shows it (no user information, query or fragment), in full,
 * or not at all.
 */
/** The longest URL with a bad path a message quotes: an annotation stays within 400 characters. */
const MAX_QUOTED_PATH = 150;

export function parseServiceUrl(name: string, value: string, example: string): URL {
  const subject = sourceOf(name);
  const url = /[\s\\]/.test(value) ? null : URL.parse(value);
  if (!url) throw new InputError(`${subject} must be an https URL such as ${example}, got a value that is not a URL (not shown: it could hold a secret).`);
  if (url.username || url.password) {
    throw new InputError(
      `${subject} must not carry credentials (a user name or password): only the key or token is sent. Got ${quotedUrl(url)} with credentials (not shown).`,
    );
  }
  // The raw text, not url.search or url.hash: an empty query (a bare ?) parses to neither.
  if (value.includes('?') || value.includes('#')) {
    throw new InputError(`${subject} must not have a query or fragment: got ${quotedUrl(url)} with one (not shown: it could hold a secret).`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    throw new InputError(`${subject} must use https (http is accepted only for localhost), got ${quotedUrl(url)}.`);
  }
  const rawPath = value.replace(/^[a-z]+:\/\/[^/]*/i, '');
  if (!/^[A-Za-z0-9._~/-]*$/.test(rawPath) || rawPath.split('/').some((segment) => segment === '.' || segment === '..')) {
    // Shown as given: it has no user information, query or fragment by now, and the parser would have resolved the very dot segments refused.
    // A long one is not shown (cut, it could show part of a secret no mask matches): the annotation stays within 400 characters.
    const shown = value.length <= MAX_QUOTED_PATH ? quotedInput(value) : `a URL of ${value.length} characters (not shown: too long)`;
    throw new InputError(`${subject} must have a plain path (letters, digits, / . _ ~ -, no . or .. segments), got ${shown}.`);
  }
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** Where api-url's value came from, for messages that send the user to fix it. */
export type ApiUrlSource = 'api-url' | 'PREFECT_API_URL' | 'default';

/** Prefect Cloud's own hosts: the only ones whose paths can be judged (a self-hosted server's cannot). */
const PREFECT_CLOUD_API_HOST = 'api.prefect.cloud';
const PREFECT_CLOUD_APP_HOST = 'app.prefect.cloud';
/** A page of Prefect Cloud's web app: /account/<id>/workspace/<id>, then the page (dashboard, runs, ...). */
const APP_WORKSPACE_PATH = /^\/account\/([^/]+)\/workspace\/([^/]+)(?:\/.*)?$/;

export interface ParsedApiUrl {
  base: URL;
  accountId?: string;
  workspaceId?: string;
  /** Set when the value was turned into the API URL it stands for: what to tell the user. */
  corrected?: string;
}

/** A URL of Prefect Cloud's web app (pasted from the browser): the API URL of its workspace, or an error naming the one to use. */
function fromAppUrl(url: URL, from: ApiUrlSource): ParsedApiUrl {
  const page = APP_WORKSPACE_PATH.exec(url.pathname);
  const example = `https://${PREFECT_CLOUD_API_HOST}/api/accounts/<account-id>/workspaces/<workspace-id>`;
  if (!page) {
    throw new InputError(
      `${sourceOf(from)} is a page of Prefect Cloud's web app (${quotedUrl(url)}), not its API: use ${example}, or open the workspace in the browser and give that page's address.`,
    );
  }
  const accountId = parseUuid(`${from} (its account id)`, page[1] ?? '');
  const workspaceId = parseUuid(`${from} (its workspace id)`, page[2] ?? '');
  const apiUrl = `https://${PREFECT_CLOUD_API_HOST}/api/accounts/${accountId}/workspaces/${workspaceId}`;
  return {
    base: new URL(`https://${PREFECT_CLOUD_API_HOST}/api`),
    accountId,
    workspaceId,
    corrected: `${from} is the address of a page in Prefect Cloud's web app; its workspace's API URL, ${apiUrl}, was used instead. Set ${from} to that.`,
  };
}

/** api-url: the API base, or a workspace URL (what PREFECT_API_URL holds), which also names the workspace. */
export function parseApiUrl(value: string, from: ApiUrlSource = 'api-url'): ParsedApiUrl {
  const url = parseServiceUrl(from === 'PREFECT_API_URL' ? 'PREFECT_API_URL' : 'api-url', value === '' ? DEFAULT_API_URL : value, DEFAULT_API_URL);
  if (url.hostname === PREFECT_CLOUD_APP_HOST) return fromAppUrl(url, from);
  const workspacePath = WORKSPACE_PATH.exec(url.pathname);
  const basePath = (workspacePath ? (workspacePath[1] ?? '') : url.pathname).replace(/\/+$/, '');
  // Prefect Cloud's API base is /api: without it every path is a 404 that would blame the ids or the membership.
  const missingApi = url.hostname === PREFECT_CLOUD_API_HOST && basePath === '';
  const corrected = missingApi
    ? `${from} (${quotedUrl(url)}) lacks /api: Prefect Cloud's API base ends in /api, so ${displayUrl(new URL(`/api${url.pathname}`.replace(/\/+$/, ''), url)) ?? ''} was used. Set ${from} to that.`
    : undefined;
  if (!workspacePath) {
    if (missingApi) url.pathname = '/api';
    return corrected ? { base: url, corrected } : { base: url };
  }
  const [, , accountId = '', workspaceId = ''] = workspacePath;
  url.pathname = missingApi ? '/api' : basePath;
  return {
    base: url,
    accountId: parseUuid(`${from} (its account id)`, accountId),
    workspaceId: parseUuid(`${from} (its workspace id)`, workspaceId),
    ...(corrected ? { corrected } : {}),
  };
}

/** The workspace as the account and workspace inputs name it, before any lookup. */
export interface NamedWorkspace {
  target: Exclude<WorkspaceTarget, { kind: 'none' }>;
  /** The inputs that named it, for messages: "workspace", or "account and workspace". */
  inputs: string;
}

function parseHandleInput(name: string, value: string): string {
  if (!HANDLE.test(value)) {
    throw new InputError(`Input ${name} must be an id (a UUID) or a handle (letters, digits and dashes, such as acme), got ${shortQuotedInput(value)}.`);
  }
  return value.toLowerCase();
}

/**
 * account and workspace: both ids, both handles, or workspace alone as
 * <account-handle>/<workspace-handle>. An id and a handle together are refused
 * rather than resolved: /me/workspaces would answer it, but the check's forms
 * are ids (no lookup) or handles (one lookup), and a mix is most often one
 * value pasted into the wrong input.
 */
export function parseNamedWorkspace(read: ReadInput): NamedWorkspace | undefined {
  const accountText = readBounded(read, 'account').trim();
  const workspaceText = readBounded(read, 'workspace').trim();
  const inputs = accountText ? 'account and workspace' : 'workspace';
  if (workspaceText === '') {
    if (accountText) throw new InputError('Input account needs input workspace: give the workspace too (its id, or its handle), or leave account empty.');
    return undefined;
  }
  if (workspaceText.includes('/')) {
    const [accountHandle, workspaceHandle, ...rest] = workspaceText.split('/');
    if (rest.length > 0 || !accountHandle || !workspaceHandle || !HANDLE.test(accountHandle) || !HANDLE.test(workspaceHandle)) {
      throw new InputError(
        `Input workspace must be a workspace id (a UUID), a workspace handle, or <account-handle>/<workspace-handle> such as acme/production, got ${shortQuotedInput(workspaceText)}.`,
      );
    }
    const target = { kind: 'handle', accountHandle: accountHandle.toLowerCase(), workspaceHandle: workspaceHandle.toLowerCase() } as const;
    if (accountText && accountText.toLowerCase() !== target.accountHandle) {
      throw new InputError(
        `Input account (${shortQuotedInput(accountText)}) disagrees with the account in input workspace (${shortQuotedInput(workspaceText)}): leave account empty, or give the same account in both.`,
      );
    }
    return { target, inputs };
  }
  if (UUID.test(workspaceText)) {
    if (accountText === '') {
      throw new InputError('Input workspace is a workspace id: give input account too, as the account id (a UUID).');
    }
    if (!UUID.test(accountText)) {
      throw new InputError(
        `Input workspace is a workspace id, so input account must be the account id (a UUID), got ${shortQuotedInput(accountText)}: give both as ids, or both as handles.`,
      );
    }
    return { target: { kind: 'ids', accountId: parseUuid('account', accountText), workspaceId: parseUuid('workspace', workspaceText) }, inputs };
  }
  const workspaceHandle = parseHandleInput('workspace', workspaceText);
  if (accountText === '') {
    throw new InputError(
      `Input workspace is a workspace handle (${shortQuotedInput(workspaceText)}): give input account too (the account handle), or write workspace as <account-handle>/<workspace-handle>.`,
    );
  }
  if (UUID.test(accountText)) {
    throw new InputError(
      `Input workspace is a workspace handle, so input account must be the account handle, got an account id (${shortQuotedInput(accountText)}): give both as ids, or both as handles.`,
    );
  }
  return { target: { kind: 'handle', accountHandle: parseHandleInput('account', accountText), workspaceHandle }, inputs };
}

function quotedWorkspaceUrl(fromUrl: { accountId?: string; workspaceId?: string }): string {
  return `.../accounts/${fromUrl.accountId ?? ''}/workspaces/${fromUrl.workspaceId ?? ''}`;
}

/**
 * The workspace to check. The inputs win over a workspace URL in PREFECT_API_URL from the job's environment (a
 * job-level PREFECT_API_URL is common: the deploy step needs it), which then serves as the API base only, said in
 * a notice. A workspace URL in the api-url input with account or workspace is the user naming it twice: refused.
 */
function parseWorkspace(
  read: ReadInput,
  fromUrl: { accountId?: string; workspaceId?: string },
  urlFrom: ApiUrlSource,
  base: URL,
): { workspace: WorkspaceTarget; notice?: string } {
  const named = parseNamedWorkspace(read);
  const urlNamesOne = Boolean(fromUrl.accountId && fromUrl.workspaceId);
  if (named && urlNamesOne && urlFrom === 'api-url') {
    throw new InputError(
      `Name the workspace one way: input api-url is a workspace URL (${quotedWorkspaceUrl(fromUrl)}) and input ${named.inputs} also ${named.inputs === 'workspace' ? 'names' : 'name'} one. Set api-url to the API base (such as ${DEFAULT_API_URL}), or leave ${named.inputs} empty.`,
    );
  }
  if (named && urlNamesOne) {
    return {
      workspace: named.target,
      notice: `The workspace named by input ${named.inputs} was checked, not the one in PREFECT_API_URL from the environment (${quotedWorkspaceUrl(fromUrl)}); PREFECT_API_URL served only as the API base, ${displayUrl(base) ?? ''}.`,
    };
  }
  if (named) return { workspace: named.target };
  if (fromUrl.accountId && fromUrl.workspaceId) return { workspace: { kind: 'ids', accountId: fromUrl.accountId, workspaceId: fromUrl.workspaceId } };
  return { workspace: { kind: 'none' } };
}

/**
 * auto means today's Prefect Cloud, whose keys carry a pnu_ or pnb_ prefix.
 * Prefect Cloud 1 (frozen since 2023) is reached only when asked for: a key
 * without either prefix under auto is refused here, as Prefect's own CLI
 * refuses it, before it could travel to a second host.
 */
function parseApiKind(value: string, apiKey: string): PrefectApiKind {
  if (value === 'rest' || value === 'graphql') return value;
  if (value !== '' && value !== 'auto') throw new InputError(`Input prefect-api must be auto, rest or graphql, got ${shortQuotedInput(value)}.`);
  // No key: nothing is sent, to either API.
  if (apiKey === '' || /^pn[ub]_/.test(apiKey)) return 'rest';
  throw new InputError(
    'Input api-key is not a Prefect Cloud key: those start with pnu_ (a user key) or pnb_ (a service account key). For a Prefect Cloud 1 key, set prefect-api: graphql.',
  );
}

/** The inputs only a rotation reads, each with the value that means "not given": empty, or action.yml's default. */
const ROTATION_ONLY_INPUTS: Record<string, readonly string[]> = {
  'service-account-id': [''],
  'key-name': ['', 'github-actions'],
  'new-key-expires-in-days': [''],
  'old-key-id': [''],
  'old-key-grace-seconds': ['', '3600'],
  'github-token': [''],
  'secret-name': [''],
  'secret-repositories': [''],
  'secret-environment': [''],
  'secret-organization': [''],
  'rotate-if-expires-within-days': [''],
  'dry-run': ['', 'false', 'False', 'FALSE'],
};

/**
 * The rotation inputs a step without rotate: true was given: a workflow that sets dry-run, a service account and
 * a secret but forgot rotate gets a plain check, and must be told its rotation inputs did nothing.
 */
function rotationInputsGiven(read: ReadInput): string[] {
  return Object.entries(ROTATION_ONLY_INPUTS)
    .filter(([name, unset]) => !unset.includes(read(name)))
    .map(([name]) => name);
}

/** api-url, or PREFECT_API_URL from the environment when it is empty, parsed; with where it came from, for messages. */
export function readApiUrl(read: ReadInput, readEnv: ReadEnv): { apiUrl: ParsedApiUrl; from: ApiUrlSource } {
  const text = inputOrEnv(read, readEnv, 'api-url', 'PREFECT_API_URL');
  const from: ApiUrlSource = text === '' ? 'default' : readBounded(read, 'api-url') === '' ? 'PREFECT_API_URL' : 'api-url';
  return { apiUrl: parseApiUrl(text, from), from };
}

export function parseCheckInputs(read: ReadInput, readEnv: ReadEnv = () => undefined): CheckInputs {
  const apiKey = parseApiKey(inputOrEnv(read, readEnv, 'api-key', 'PREFECT_API_KEY'));
  const { apiUrl, from: apiUrlFrom } = readApiUrl(read, readEnv);
  const graphqlUrl = readBounded(read, 'graphql-url');
  const { workspace, notice: workspaceNotice } = parseWorkspace(read, apiUrl, apiUrlFrom, apiUrl.base);
  const requiredScopes = parseScopes(readBounded(read, 'required-scopes'));
  if (requiredScopes.length > 0 && workspace.kind === 'none') {
    throw new InputError('Input required-scopes needs a workspace: name it with workspace (and account), or a workspace URL in api-url.');
  }
  const rotate = parseBoolean('rotate', read('rotate'), false);
  return {
    apiKey,
    apiBase: apiUrl.base,
    workspace,
    failOnInvalid: parseBoolean('fail-on-invalid', read('fail-on-invalid'), true),
    timeoutMs: parseNumber('timeout-seconds', read('timeout-seconds'), 30, { min: 1, max: 3600 }) * 1000,
    retries: parseNumber('retries', read('retries'), 3, { min: 0, max: 10, integer: true }),
    rotate,
    api: parseApiKind(read('prefect-api'), apiKey),
    graphqlUrl: parseServiceUrl('graphql-url', graphqlUrl === '' ? DEFAULT_GRAPHQL_URL : graphqlUrl, DEFAULT_GRAPHQL_URL),
    exportEnv: parseBoolean('export-env', read('export-env'), true),
    warnIfExpiresWithinDays: parseNumber('warn-if-expires-within-days', read('warn-if-expires-within-days'), 14, { min: 0, max: 3650, integer: true }),
    requiredScopes,
    apiUrlFrom,
    ...(apiUrl.corrected ? { apiUrlCorrected: apiUrl.corrected } : {}),
    ...(workspaceNotice ? { workspaceNotice } : {}),
    ignoredRotationInputs: rotate ? [] : rotationInputsGiven(read),
  };
}
