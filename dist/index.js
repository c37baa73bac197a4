/******/ var __webpack_modules__ = ({

/***/ 620:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  fH: () => (/* binding */ AmbiguousOutcomeError),
  ZB: () => (/* binding */ TransientAnswerError),
  hG: () => (/* binding */ UnavailableError),
  b9: () => (/* binding */ cleanupPolicy),
  G4: () => (/* binding */ defaultPolicy),
  v7: () => (/* binding */ pause),
  Vs: () => (/* binding */ retryAfterMs),
  E4: () => (/* binding */ sendOnce),
  HI: () => (/* binding */ sendWithRetries)
});

// UNUSED EXPORTS: CLEANUP_MS, backoffMs, isTransientStatus

;// CONCATENATED MODULE: ./src/http/request.ts
// One HTTP exchange over node:http / node:https. Proxies come from the
// environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) through Node's own agent
// support, redirects are never followed (a credential must not travel to a
// host it was not configured for), and a body is read whole, up to a cap.
const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** The request never got a complete answer: refused, reset, cut short or timed out. */
class NetworkError extends Error {
    name = 'NetworkError';
}
const transports = new Map();
/** node:https (and TLS with it) is loaded only when a URL needs it: most of a check's start-up cost is module loading. */
function transportFor(url) {
    let transport = transports.get(url.protocol);
    if (!transport) {
        const module = url.protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
        transport = { module, agent: new module.Agent({ proxyEnv: process.env }) };
        transports.set(url.protocol, transport);
    }
    return transport;
}
function describe(error) {
    if (!(error instanceof Error))
        return String(error);
    const code = error.code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}
function send(request) {
    const { url, signal } = request;
    const headers = { ...request.headers };
    if (request.body !== undefined)
        headers['content-length'] = String(Buffer.byteLength(request.body));
    const transport = transportFor(url);
    return new Promise((resolve, reject) => {
        if (signal.aborted) {
            reject(new NetworkError('timed out before the request was sent'));
            return;
        }
        const outgoing = transport.module.request(url, { method: request.method, headers, agent: transport.agent, signal });
        outgoing.on('error', (error) => {
            reject(new NetworkError(signal.aborted ? 'timed out waiting for an answer' : describe(error)));
        });
        outgoing.on('response', (incoming) => {
            const chunks = [];
            let size = 0;
            incoming.on('data', (chunk) => {
                size += chunk.length;
                if (size > MAX_BODY_BYTES) {
                    incoming.destroy(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`));
                    return;
                }
                chunks.push(chunk);
            });
            incoming.on('error', (error) => {
                reject(new NetworkError(signal.aborted ? 'timed out reading the answer' : `answer cut short: ${describe(error)}`));
            });
            incoming.on('end', () => {
                resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') });
            });
            // Settles nothing after 'end'; catches a close that neither ended nor errored.
            incoming.on('close', () => reject(new NetworkError('answer cut short: the connection closed mid-body')));
        });
        outgoing.end(request.body);
    });
}

;// CONCATENATED MODULE: ./src/http/retry.ts
// Retries of transient failures with jittered exponential backoff, honouring
// Retry-After, and never past one deadline shared by every call of the step.

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/** Request timeout, rate limit, and every server-side error. */
function isTransientStatus(status) {
    return status === 408 || status === 429 || (status >= 500 && status <= 599);
}
function defaultPolicy(retries, timeoutMs) {
    return {
        retries,
        deadline: Date.now() + timeoutMs,
        now: Date.now,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        random: Math.random,
    };
}
/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(value, now) {
    const text = Array.isArray(value) ? value[0] : value;
    if (text === undefined || text.trim() === '')
        return undefined;
    if (/^\s*\d+(\.\d+)?\s*$/.test(text))
        return Math.ceil(Number(text) * 1000);
    const date = Date.parse(text);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
/** Equal jitter: half the exponential step, plus a random share of the other half. */
function backoffMs(retry, random) {
    const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry);
    return Math.round(step / 2 + (step / 2) * random());
}
/** Half of the time left, and no retry: see sendOnce. */
function halfTheTimeLeft(policy) {
    const now = policy.now();
    return { ...policy, retries: 0, deadline: now + Math.floor(Math.max(0, policy.deadline - now) / 2) };
}
/** Undoing or tidying up after a failure may run past the deadline, by this much at most. */
const CLEANUP_MS = 10_000;
/** For undoing and tidying up: at least CLEANUP_MS, even when the deadline is near or past. */
function cleanupPolicy(policy) {
    return { ...policy, deadline: Math.max(policy.deadline, policy.now() + CLEANUP_MS) };
}
/**
 * Waits before another try of a step the caller repeats itself: as long as
 * the server asked (Retry-After), else a backoff. False when the deadline
 * would pass first.
 */
async function pause(policy, retry, retryAfter) {
    const delay = retryAfter ?? backoffMs(retry, policy.random);
    if (policy.now() + delay >= policy.deadline)
        return false;
    await policy.sleep(delay);
    return true;
}
/** Every try failed, or the deadline came first. Says nothing about the credential. */
class UnavailableError extends Error {
    name = 'UnavailableError';
    attempts;
    /** The last answer's status; undefined when the last try got no answer at all. */
    lastStatus;
    /** How long the last answer asked to wait (Retry-After), if it did. */
    retryAfterMs;
    constructor(message, attempts, lastStatus, retryAfterMs) {
        super(message);
        this.attempts = attempts;
        this.lastStatus = lastStatus;
        this.retryAfterMs = retryAfterMs;
    }
}
/**
 * An answer the caller judges transient (a truncated JSON body, a rate-limit
 * 403, a key not valid yet): throw this from `accept` to have the exchange
 * retried like a 502, after `waitMs` if given.
 */
class TransientAnswerError extends Error {
    name = 'TransientAnswerError';
    waitMs;
    constructor(message, waitMs) {
        super(message);
        this.waitMs = waitMs;
    }
}
function statusReason(response) {
    const server = /<html/i.test(response.body) ? ' (an HTML error page)' : '';
    return `HTTP ${response.status}${server}`;
}
/**
 * Sends the request until it gets an answer that is not transient, and
 * returns `accept(answer)`. Transient: network failures, 408, 429, 5xx, and
 * TransientAnswerError from `accept`.
 */
async function sendWithRetries(policy, request, accept) {
    let attempts = 0;
    let lastStatus;
    let lastWaitMs;
    let lastReason = 'no attempt was made';
    for (;;) {
        const remaining = policy.deadline - policy.now();
        if (remaining <= 0)
            break;
        attempts += 1;
        let waitMs;
        try {
            const response = await send({ ...request, signal: AbortSignal.timeout(Math.ceil(remaining)) });
            lastStatus = response.status;
            if (isTransientStatus(response.status)) {
                lastReason = statusReason(response);
                waitMs = retryAfterMs(response.headers['retry-after'], policy.now());
            }
            else {
                try {
                    return accept(response);
                }
                catch (error) {
                    if (!(error instanceof TransientAnswerError))
                        throw error;
                    lastReason = error.message;
                    waitMs = error.waitMs;
                }
            }
        }
        catch (error) {
            if (!(error instanceof NetworkError))
                throw error;
            lastStatus = undefined;
            lastReason = error.message;
        }
        lastWaitMs = waitMs;
        if (attempts > policy.retries)
            break;
        const delay = waitMs ?? backoffMs(attempts - 1, policy.random);
        if (policy.now() + delay >= policy.deadline) {
            if (waitMs !== undefined)
                lastReason += `; it asked to retry after ${Math.ceil(waitMs / 1000)} s, past the deadline`;
            break;
        }
        await policy.sleep(delay);
    }
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    throw new UnavailableError(`${lastReason} (${tries})`, attempts, lastStatus, lastWaitMs);
}
/** A call sent once may or may not have taken effect: the caller must look before trying again. */
class AmbiguousOutcomeError extends Error {
    name = 'AmbiguousOutcomeError';
    /** Retry-After of the last answer, if it asked for a wait. */
    retryAfterMs;
    constructor(message, retryAfterMs) {
        super(message);
        this.retryAfterMs = retryAfterMs;
    }
}
/**
 * For a call that must not be repeated blindly (a create, a rotation): sent
 * once, with half of the time left, so that an ambiguous failure leaves time
 * to look. A failure short of an answer `accept` takes throws AmbiguousOutcomeError.
 */
async function sendOnce(policy, request, accept) {
    try {
        return await sendWithRetries(halfTheTimeLeft(policy), request, accept);
    }
    catch (error) {
        if (error instanceof UnavailableError)
            throw new AmbiguousOutcomeError(error.message, error.retryAfterMs);
        throw error;
    }
}


/***/ }),

/***/ 407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(422);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(837);
/* harmony import */ var _runner_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(813);
// Entry point: the only module besides runner.ts that knows it runs in a
// GitHub Actions step. Masks the credentials before anything else, reads the
// inputs, runs, and turns any failure into a clear error annotation.



_runner_js__WEBPACK_IMPORTED_MODULE_1__/* .runner */ .lj.setSecret((0,_runner_js__WEBPACK_IMPORTED_MODULE_1__/* .getInput */ .V4)('api-key'));
_runner_js__WEBPACK_IMPORTED_MODULE_1__/* .runner */ .lj.setSecret((0,_runner_js__WEBPACK_IMPORTED_MODULE_1__/* .getInput */ .V4)('github-token'));
try {
    const inputs = (0,_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .parseCheckInputs */ .Ln)(_runner_js__WEBPACK_IMPORTED_MODULE_1__/* .getInput */ .V4);
    const rotation = inputs.rotate ? (await __nccwpck_require__.e(/* import() */ 566).then(__nccwpck_require__.bind(__nccwpck_require__, 566))).parseRotationInputs(_runner_js__WEBPACK_IMPORTED_MODULE_1__/* .getInput */ .V4, (name) => process.env[name], inputs) : undefined;
    process.exitCode = await (0,_main_js__WEBPACK_IMPORTED_MODULE_0__/* .run */ .e)(inputs, _runner_js__WEBPACK_IMPORTED_MODULE_1__/* .runner */ .lj, { rotation });
}
catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    _runner_js__WEBPACK_IMPORTED_MODULE_1__/* .runner */ .lj.error(message, { title: error instanceof _inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz ? 'Invalid input' : 'Prefect Cloud key action failed' });
    process.exitCode = 1;
}

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 422:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $J: () => (/* binding */ parseNumber),
/* harmony export */   CB: () => (/* binding */ readBounded),
/* harmony export */   Ln: () => (/* binding */ parseCheckInputs),
/* harmony export */   SP: () => (/* binding */ shown),
/* harmony export */   Xw: () => (/* binding */ parseUuid),
/* harmony export */   dz: () => (/* binding */ InputError),
/* harmony export */   iO: () => (/* binding */ parseServiceUrl),
/* harmony export */   pI: () => (/* binding */ parseToken),
/* harmony export */   yG: () => (/* binding */ parseBoolean)
/* harmony export */ });
/* unused harmony exports DEFAULT_API_URL, DEFAULT_GRAPHQL_URL, isLoopback, parseApiUrl */
// Turns the step's raw inputs into checked values. Every error names the
// input and what it accepts; nothing here touches the network.
const DEFAULT_API_URL = 'https://api.prefect.cloud/api';
const DEFAULT_GRAPHQL_URL = 'https://api.prefect.io';
/** A bad input: the step fails with this message and sends nothing. */
class InputError extends Error {
    name = 'InputError';
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HANDLE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const WORKSPACE_PATH = /^(.*)\/accounts\/([^/]+)\/workspaces\/([^/]+)$/;
const MAX_INPUT_LENGTH = 4096;
/** A short, printable rendering of a rejected value, for error messages. */
function shown(value) {
    // Control characters are what this removes: a rejected value must not inject workflow commands.
    // eslint-disable-next-line no-control-regex
    const printable = value.replace(/[\u0000-\u001f\u007f]/g, '?');
    return JSON.stringify(printable.length > 60 ? `${printable.slice(0, 57)}...` : printable);
}
function isLoopback(hostname) {
    return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
function readBounded(read, name) {
    const value = read(name);
    if (value.length > MAX_INPUT_LENGTH) {
        throw new InputError(`Input ${name} is ${value.length} characters long; at most ${MAX_INPUT_LENGTH} are accepted.`);
    }
    return value;
}
function parseUuid(name, value) {
    if (!UUID.test(value)) {
        throw new InputError(`Input ${name} must be a UUID such as 0f8fad5b-d9cb-469f-a165-70867728950e, got ${shown(value)}.`);
    }
    return value.toLowerCase();
}
function parseBoolean(name, value, fallback) {
    if (value === '')
        return fallback;
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    throw new InputError(`Input ${name} must be true or false, got ${shown(value)}.`);
}
/** A whole or decimal number within [min, max]; `integer` rules out decimals. */
function parseNumber(name, value, fallback, range) {
    if (value === '')
        return fallback;
    const pattern = range.integer ? /^\d+$/ : /^\d+(\.\d+)?$/;
    const number = Number(value);
    const kind = range.integer ? 'a whole number' : 'a number';
    if (!pattern.test(value) || number < range.min || number > range.max) {
        throw new InputError(`Input ${name} must be ${kind} from ${range.min} to ${range.max}, got ${shown(value)}.`);
    }
    return number;
}
/** A credential travels in an HTTP header: one token of printable ASCII. Its value is never shown. */
function parseToken(name, value) {
    if (!/^[\x21-\x7e]+$/.test(value)) {
        throw new InputError(`Input ${name} must be a single token of printable ASCII characters, without spaces, line breaks or control characters.`);
    }
    return value;
}
function parseApiKey(value) {
    if (value === '')
        throw new InputError('Input api-key is required: pass the Prefect Cloud API key, e.g. ${{ secrets.PREFECT_API_KEY }}.');
    return parseToken('api-key', value);
}
/**
 * A URL a credential is sent to: https (http only to loopback, for local
 * servers), no credentials, query or fragment, and a plain path, returned
 * without a trailing slash.
 */
function parseServiceUrl(name, value, example) {
    let url;
    try {
        if (/[\s\\]/.test(value))
            throw new TypeError('whitespace or backslash');
        url = new URL(value);
    }
    catch {
        throw new InputError(`Input ${name} must be an https URL such as ${example}, got ${shown(value)}.`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
        throw new InputError(`Input ${name} must use https (http is accepted only for localhost), got ${shown(value)}.`);
    }
    if (url.username || url.password)
        throw new InputError(`Input ${name} must not contain a user name or password.`);
    if (url.search || url.hash || value.includes('?') || value.includes('#')) {
        throw new InputError(`Input ${name} must not have a query or fragment, got ${shown(value)}.`);
    }
    const rawPath = value.replace(/^[a-z]+:\/\/[^/]*/i, '');
    if (!/^[A-Za-z0-9._~/-]*$/.test(rawPath) || rawPath.split('/').some((segment) => segment === '.' || segment === '..')) {
        throw new InputError(`Input ${name} must have a plain path (letters, digits, / . _ ~ -, no . or .. segments), got ${shown(value)}.`);
    }
    url.pathname = url.pathname.replace(/\/+$/, '') || '/';
    return new URL(url.href.replace(/\/+$/, ''));
}
/** api-url: the API base, or a workspace URL (what PREFECT_API_URL holds), which also names the workspace. */
function parseApiUrl(value) {
    const url = parseServiceUrl('api-url', value === '' ? DEFAULT_API_URL : value, DEFAULT_API_URL);
    const workspacePath = WORKSPACE_PATH.exec(url.pathname);
    if (!workspacePath)
        return { base: url };
    url.pathname = workspacePath[1] || '/';
    return {
        base: new URL(url.href.replace(/\/+$/, '')),
        accountId: parseUuid('api-url (its account id)', workspacePath[2] ?? ''),
        workspaceId: parseUuid('api-url (its workspace id)', workspacePath[3] ?? ''),
    };
}
function parseHandle(value) {
    const [account, workspace, ...rest] = value.split('/');
    if (rest.length > 0 || !account || !workspace || !HANDLE.test(account) || !HANDLE.test(workspace)) {
        throw new InputError(`Input workspace must be <account-handle>/<workspace-handle>, such as acme/production, got ${shown(value)}.`);
    }
    return { accountHandle: account.toLowerCase(), workspaceHandle: workspace.toLowerCase() };
}
function parseWorkspace(read, fromUrl) {
    const accountIdText = readBounded(read, 'account-id');
    const workspaceIdText = readBounded(read, 'workspace-id');
    const handleText = readBounded(read, 'workspace');
    const accountId = accountIdText && parseUuid('account-id', accountIdText);
    const workspaceId = workspaceIdText && parseUuid('workspace-id', workspaceIdText);
    if (Boolean(accountId) !== Boolean(workspaceId)) {
        const missing = accountId ? 'workspace-id' : 'account-id';
        throw new InputError(`Input ${missing} is required when ${missing === 'account-id' ? 'workspace-id' : 'account-id'} is set: give both ids.`);
    }
    const ways = [accountId ? 'account-id and workspace-id' : '', handleText ? 'workspace' : '', fromUrl.accountId ? 'a workspace URL in api-url' : ''].filter(Boolean);
    if (handleText && ways.length > 1) {
        throw new InputError(`Name the workspace one way: ${ways.join(' or ')}, not both.`);
    }
    if (handleText)
        return { kind: 'handle', ...parseHandle(handleText) };
    if (fromUrl.accountId && fromUrl.workspaceId) {
        if (accountId && (accountId !== fromUrl.accountId || workspaceId !== fromUrl.workspaceId)) {
            throw new InputError('Inputs account-id and workspace-id disagree with the workspace URL in api-url: give one of them, or the same workspace in both.');
        }
        return { kind: 'ids', accountId: fromUrl.accountId, workspaceId: fromUrl.workspaceId };
    }
    if (accountId && workspaceId)
        return { kind: 'ids', accountId, workspaceId };
    return { kind: 'none' };
}
/** auto: keys of today's Prefect Cloud carry a pnu_ or pnb_ prefix; Cloud 1 keys carry none. */
function parseApiKind(value, apiKey) {
    if (value === 'rest' || value === 'graphql')
        return value;
    if (value !== '' && value !== 'auto')
        throw new InputError(`Input rotation-api must be auto, rest or graphql, got ${shown(value)}.`);
    return /^pn[ub]_/.test(apiKey) ? 'rest' : 'graphql';
}
function parseCheckInputs(read) {
    const apiKey = parseApiKey(readBounded(read, 'api-key'));
    const apiUrl = parseApiUrl(readBounded(read, 'api-url'));
    const graphqlUrl = readBounded(read, 'graphql-url');
    return {
        apiKey,
        apiBase: apiUrl.base,
        workspace: parseWorkspace(read, apiUrl),
        failOnInvalid: parseBoolean('fail-on-invalid', read('fail-on-invalid'), true),
        timeoutMs: parseNumber('timeout-seconds', read('timeout-seconds'), 30, { min: 1, max: 3600 }) * 1000,
        retries: parseNumber('retries', read('retries'), 3, { min: 0, max: 10, integer: true }),
        rotate: parseBoolean('rotate', read('rotate'), false),
        api: parseApiKind(read('rotation-api'), apiKey),
        graphqlUrl: parseServiceUrl('graphql-url', graphqlUrl === '' ? DEFAULT_GRAPHQL_URL : graphqlUrl, DEFAULT_GRAPHQL_URL),
    };
}


/***/ }),

/***/ 837:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// EXTERNAL MODULE: ./src/http/retry.ts + 1 modules
var retry = __nccwpck_require__(620);
// EXTERNAL MODULE: ./src/prefect/check.ts
var check = __nccwpck_require__(995);
// EXTERNAL MODULE: ./src/prefect/rest.ts
var rest = __nccwpck_require__(273);
;// CONCATENATED MODULE: ./src/report.ts
// The step's outputs and its job summary for a check.


const ICONS = {
    valid: '✅',
    'invalid-key': '❌',
    forbidden: '⛔',
    'not-found': '❓',
    unavailable: '⚠️',
    unexpected: '⚠️',
};
/** Markdown table cell: no pipes or line breaks from the data can break the table. */
function cell(text) {
    return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}
function reportCheck(out, report) {
    const { result, keyType, apiBase, durationMs } = report;
    const reachable = result.reachable?.map((info) => ({
        handle: (0,check/* handleOf */.mP)(info),
        url: (0,rest/* workspaceUrl */.fO)(apiBase, info.account_id, info.workspace_id),
    }));
    out.setOutputs({
        valid: String(result.status === 'valid'),
        status: result.status,
        'status-code': result.statusCode === undefined ? '' : String(result.statusCode),
        'workspace-url': result.workspaceUrl ?? '',
        'key-type': keyType,
        workspaces: reachable ? JSON.stringify(reachable) : '',
    });
    const workspace = result.workspaceLabel ?? (reachable ? `${reachable.length} reachable` : '');
    const lines = [
        `### ${ICONS[result.status]} Prefect Cloud API key: ${result.status}`,
        '',
        '| Workspace | Result | Key type | HTTP status | Time |',
        '| --- | --- | --- | --- | --- |',
        `| ${cell(workspace)} | ${result.status} | ${keyType} | ${result.statusCode ?? '–'} | ${(durationMs / 1000).toFixed(2)} s |`,
        '',
        cell(result.message),
    ];
    if (reachable && reachable.length > 0) {
        lines.push('', '| Reachable workspace | PREFECT_API_URL |', '| --- | --- |');
        for (const entry of reachable)
            lines.push(`| ${cell(entry.handle)} | \`${cell(entry.url)}\` |`);
    }
    out.appendSummary(lines.join('\n'));
}

;// CONCATENATED MODULE: ./src/main.ts
// The action's work, given checked inputs and a runner to report to. The
// check of today's keys loads nothing more; Cloud 1 and rotation code is
// loaded only when asked for.



const TITLES = {
    'invalid-key': 'Prefect Cloud API key rejected',
    forbidden: 'Prefect Cloud API key lacks access',
    'not-found': 'Prefect Cloud workspace not found',
    unavailable: 'Prefect Cloud unavailable',
    unexpected: 'Unexpected answer from Prefect Cloud',
};
async function main_check(inputs, policy) {
    const rest = { base: inputs.apiBase, apiKey: inputs.apiKey, policy };
    if (inputs.api === 'rest')
        return (0,check/* checkKey */.yR)(rest, inputs.workspace);
    const { checkCloud1Key } = await __nccwpck_require__.e(/* import() */ 494).then(__nccwpck_require__.bind(__nccwpck_require__, 494));
    return checkCloud1Key({ url: inputs.graphqlUrl, apiKey: inputs.apiKey, policy }, rest, inputs.workspace);
}
function reportFailure(result, inputs, runner, rotating) {
    const status = result.status;
    const message = rotating ? `${result.message} No key was rotated.` : result.message;
    if (!inputs.failOnInvalid) {
        runner.warning(message, { title: TITLES[status] });
        return 0;
    }
    runner.error(message, { title: TITLES[status] });
    return 1;
}
/** Returns the step's exit code. */
async function run(inputs, runner, options = {}) {
    const started = Date.now();
    const policy = options.policy ?? (0,retry/* defaultPolicy */.G4)(inputs.retries, inputs.timeoutMs);
    const result = await main_check(inputs, policy);
    reportCheck(runner, { result, keyType: (0,check/* keyType */.iE)(inputs.apiKey), apiBase: inputs.apiBase, durationMs: Date.now() - started });
    if (result.status !== 'valid')
        return reportFailure(result, inputs, runner, options.rotation !== undefined);
    runner.info(result.message);
    if (!options.rotation)
        return 0;
    const { rotate } = await Promise.all(/* import() */[__nccwpck_require__.e(768), __nccwpck_require__.e(553)]).then(__nccwpck_require__.bind(__nccwpck_require__, 553));
    return rotate({ inputs, rotation: options.rotation, check: result, policy, runner });
}


/***/ }),

/***/ 995:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   hU: () => (/* binding */ unavailable),
/* harmony export */   iE: () => (/* binding */ keyType),
/* harmony export */   mP: () => (/* binding */ handleOf),
/* harmony export */   yR: () => (/* binding */ checkKey)
/* harmony export */ });
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(620);
/* harmony import */ var _rest_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(273);
// Checks a key against Prefect Cloud and says exactly what is wrong: the key,
// the key's access to the workspace, the workspace named, or Prefect Cloud.


function keyType(apiKey) {
    if (apiKey.startsWith('pnu_'))
        return 'user';
    if (apiKey.startsWith('pnb_'))
        return 'service-account';
    return 'unknown';
}
function handleOf(info) {
    return `${info.account_handle}/${info.workspace_handle}`;
}
function listOf(workspaces) {
    if (workspaces.length === 0)
        return 'it is a member of no workspace';
    const shown = workspaces.slice(0, 10).map(handleOf).join(', ');
    return `it reaches ${shown}${workspaces.length > 10 ? ` and ${workspaces.length - 10} more` : ''}`;
}
const INVALID_KEY = 'Prefect Cloud rejected the API key (HTTP 401): it is wrong, expired or deleted. Create a new key (or rotate the service account key) and update the secret that holds it.';
/** `service` names what could not be reached, e.g. "Prefect Cloud at api.prefect.cloud". */
function unavailable(service, error) {
    return {
        status: 'unavailable',
        statusCode: error.lastStatus,
        message: `${service} could not be reached: ${error.message}. This says nothing about the key; run the job again later.`,
    };
}
function unexpected(api, status, what) {
    return {
        status: 'unexpected',
        statusCode: status,
        message: `Prefect Cloud answered HTTP ${status} to ${what}, which a Prefect Cloud API does not send: check that api-url (${api.base.href}) points at the Prefect Cloud API.`,
    };
}
/** After a 404: ask which workspaces the key does reach, to tell a wrong id from missing access. */
async function explainNotFound(api, accountId, label) {
    const base = `Workspace ${label} was not found for this key (HTTP 404)`;
    let reachable;
    try {
        reachable = (await (0,_rest_js__WEBPACK_IMPORTED_MODULE_1__/* .myWorkspaces */ .FE)(api)).workspaces;
    }
    catch (error) {
        if (!(error instanceof _http_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .UnavailableError */ .hG))
            throw error;
    }
    if (!reachable) {
        return `${base}: either the ids (or the URL in api-url) are wrong, or the key's user or service account is not a member of that workspace.`;
    }
    const inAccount = reachable.some((info) => info.account_id === accountId);
    const why = inAccount
        ? "the key's account is right, so either workspace-id is wrong or the key's user or service account is not a member of that workspace"
        : "the key has no access to that account: check account-id (or the URL in api-url), or add the key's user or service account to it";
    return `${base}: ${why}; ${listOf(reachable)}.`;
}
async function checkWorkspace(api, accountId, workspaceId, label) {
    const url = (0,_rest_js__WEBPACK_IMPORTED_MODULE_1__/* .workspaceUrl */ .fO)(api.base, accountId, workspaceId);
    const status = await (0,_rest_js__WEBPACK_IMPORTED_MODULE_1__/* .health */ .vK)(api, accountId, workspaceId);
    const result = { statusCode: status, workspaceLabel: label, workspaceUrl: url, accountId, workspaceId };
    if (status === 200)
        return { ...result, status: 'valid', message: `The API key is valid for workspace ${label}.` };
    if (status === 401)
        return { ...result, status: 'invalid-key', message: INVALID_KEY };
    if (status === 403) {
        return {
            ...result,
            status: 'forbidden',
            message: `The API key is valid, but its user or service account may not read workspace ${label} (HTTP 403). Give it a role in that workspace that can read it.`,
        };
    }
    if (status === 404)
        return { ...result, status: 'not-found', message: await explainNotFound(api, accountId, label) };
    return { ...unexpected(api, status, 'the health check'), workspaceLabel: label, workspaceUrl: url };
}
async function checkHandle(api, accountHandle, workspaceHandle) {
    const label = `${accountHandle}/${workspaceHandle}`;
    const answer = await (0,_rest_js__WEBPACK_IMPORTED_MODULE_1__/* .myWorkspaces */ .FE)(api);
    if (answer.status === 401)
        return { status: 'invalid-key', statusCode: 401, workspaceLabel: label, message: INVALID_KEY };
    if (!answer.workspaces)
        return { ...unexpected(api, answer.status, 'the list of workspaces'), workspaceLabel: label };
    const match = answer.workspaces.find((info) => info.account_handle.toLowerCase() === accountHandle && info.workspace_handle.toLowerCase() === workspaceHandle);
    if (!match) {
        return {
            status: 'not-found',
            workspaceLabel: label,
            reachable: answer.workspaces,
            message: `Workspace ${label} is not among the workspaces this key reaches: check the workspace input, or add the key's user or service account to it; ${listOf(answer.workspaces)}.`,
        };
    }
    return checkWorkspace(api, match.account_id, match.workspace_id, label);
}
async function checkKeyAlone(api) {
    const answer = await (0,_rest_js__WEBPACK_IMPORTED_MODULE_1__/* .myWorkspaces */ .FE)(api);
    if (answer.status === 401)
        return { status: 'invalid-key', statusCode: 401, message: INVALID_KEY };
    if (!answer.workspaces)
        return unexpected(api, answer.status, 'the list of workspaces');
    const only = answer.workspaces.length === 1 ? answer.workspaces[0] : undefined;
    return {
        status: 'valid',
        statusCode: 200,
        reachable: answer.workspaces,
        workspaceLabel: only && handleOf(only),
        workspaceUrl: only && (0,_rest_js__WEBPACK_IMPORTED_MODULE_1__/* .workspaceUrl */ .fO)(api.base, only.account_id, only.workspace_id),
        message: `The API key is valid; ${listOf(answer.workspaces)}.`,
    };
}
async function checkKey(api, target) {
    try {
        if (target.kind === 'ids')
            return await checkWorkspace(api, target.accountId, target.workspaceId, `${target.accountId}/${target.workspaceId}`);
        if (target.kind === 'handle')
            return await checkHandle(api, target.accountHandle, target.workspaceHandle);
        return await checkKeyAlone(api);
    }
    catch (error) {
        if (error instanceof _http_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .UnavailableError */ .hG)
            return unavailable(`Prefect Cloud at ${api.base.host}`, error);
        throw error;
    }
}


/***/ }),

/***/ 273:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   FE: () => (/* binding */ myWorkspaces),
/* harmony export */   Jt: () => (/* binding */ get),
/* harmony export */   fO: () => (/* binding */ workspaceUrl),
/* harmony export */   qF: () => (/* binding */ parseJson),
/* harmony export */   vK: () => (/* binding */ health)
/* harmony export */ });
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(620);
// Prefect Cloud's REST API: the calls the check makes.

function workspaceUrl(base, accountId, workspaceId) {
    return `${base.href}/accounts/${accountId}/workspaces/${workspaceId}`;
}
function headers(apiKey) {
    return { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
}
/** GET a path under the API base; answers other than transient ones come back as they are. */
function get(api, path, accept) {
    const url = new URL(`${api.base.href}${path}`);
    return (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .sendWithRetries */ .HI)(api.policy, { method: 'GET', url, headers: headers(api.apiKey) }, accept ?? ((response) => response));
}
function parseJson(response) {
    try {
        return JSON.parse(response.body);
    }
    catch {
        throw new _http_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .TransientAnswerError */ .ZB(`HTTP ${response.status} with a body that is not JSON`);
    }
}
function isWorkspaceInfo(value) {
    if (typeof value !== 'object' || value === null)
        return false;
    const entry = value;
    return ['account_id', 'account_handle', 'workspace_id', 'workspace_handle'].every((field) => typeof entry[field] === 'string');
}
/** GET /me/workspaces: the workspaces the key's user or service account belongs to. */
function myWorkspaces(api) {
    return get(api, '/me/workspaces', (response) => {
        if (response.status !== 200)
            return { status: response.status };
        const list = parseJson(response);
        if (!Array.isArray(list) || !list.every(isWorkspaceInfo)) {
            throw new _http_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .TransientAnswerError */ .ZB('HTTP 200 with a body that is not a list of workspaces');
        }
        return { status: 200, workspaces: list };
    });
}
/** GET /accounts/{a}/workspaces/{w}/health: any 200 is healthy. */
async function health(api, accountId, workspaceId) {
    const response = await get(api, `/accounts/${accountId}/workspaces/${workspaceId}/health`);
    return response.status;
}


/***/ }),

/***/ 813:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   V4: () => (/* binding */ getInput),
/* harmony export */   lj: () => (/* binding */ runner)
/* harmony export */ });
/* unused harmony export redact */
// The GitHub Actions runner protocol: inputs from INPUT_* variables, workflow
// commands on stdout, outputs and the job summary through the files the runner
// names. Written here rather than taken from @actions/core because that
// package also loads an HTTP client and a process runner, which would triple
// the start-up cost of every deploy gate (see bench/RESULTS.md). The formats
// match @actions/core's byte for byte; __tests__/runner.test.ts holds it to that.
const { appendFileSync } = process.getBuiltinModule('node:fs');
const { EOL } = process.getBuiltinModule('node:os');
/** Every form of every registered secret, each computed once, in the order they were masked. */
const maskedForms = new Set();
/** Every form in which a secret could surface in text: raw, JSON-, URL- and base64-encoded. */
function secretForms(value) {
    return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value), Buffer.from(value).toString('base64')];
}
/**
 * Replaces every registered secret with ***. The runner masks too, but only
 * once it has read the add-mask command; this keeps secrets out of the raw
 * stream as well, whatever an error message or a server's answer echoes.
 */
function redact(text) {
    let out = text;
    for (const form of maskedForms)
        out = out.split(form).join('***');
    return out;
}
function escapeData(value) {
    return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(value) {
    return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
/** Writes a workflow command; everything but a mask's own value is redacted. */
function command(name, message, properties = {}) {
    const clean = name === 'add-mask' ? (text) => text : redact;
    const props = Object.entries(properties)
        .filter((entry) => entry[1] !== undefined && entry[1] !== '')
        .map(([key, value]) => `${key}=${escapeProperty(clean(value))}`)
        .join(',');
    process.stdout.write(`::${name}${props ? ` ${props}` : ''}::${escapeData(clean(message))}${EOL}`);
}
/** Reads an input as the runner passes it: INPUT_<NAME>, spaces as underscores, trimmed. */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
function fileCommand(variable, text) {
    const path = process.env[variable];
    if (path)
        appendFileSync(path, text, { encoding: 'utf8' });
}
/**
 * The runner's heredoc form. The delimiter is refused if it occurs in the
 * name or value, which is what makes it safe; its randomness only makes a
 * clash unlikely, so Math.random serves and node:crypto need not be loaded.
 */
function keyValueMessage(name, value) {
    const random = () => Math.random().toString(16).slice(2, 15).padEnd(13, '0');
    const delimiter = `ghadelimiter_${random()}${random()}`;
    if (name.includes(delimiter) || value.includes(delimiter)) {
        throw new Error(`Output ${name} could not be written: it contains the delimiter ${delimiter}`);
    }
    return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`;
}
const runner = {
    setSecret(value) {
        if (!value)
            return;
        for (const form of secretForms(value)) {
            if (maskedForms.has(form))
                continue;
            command('add-mask', form);
            maskedForms.add(form);
        }
    },
    setOutputs(outputs) {
        // Runners new enough for node24 always name the file; the deprecated
        // set-output command is not a fallback worth keeping.
        const text = Object.entries(outputs)
            .map(([name, value]) => keyValueMessage(name, redact(value)))
            .join('');
        fileCommand('GITHUB_OUTPUT', text);
    },
    setSecretOutput(name, value) {
        if (!maskedForms.has(value))
            throw new Error(`Output ${name} is a secret: mask it before setting it.`);
        fileCommand('GITHUB_OUTPUT', keyValueMessage(name, value));
    },
    info(message) {
        process.stdout.write(redact(message) + EOL);
    },
    warning(message, annotation = {}) {
        command('warning', message, { title: annotation.title });
    },
    error(message, annotation = {}) {
        command('error', message, { title: annotation.title });
    },
    appendSummary(markdown) {
        fileCommand('GITHUB_STEP_SUMMARY', redact(markdown) + EOL);
    },
};


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat */
/******/ 
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = new URL('.', import.meta.url).pathname.slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
