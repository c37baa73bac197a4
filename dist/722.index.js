export const id = 722;
export const ids = [722];
export const modules = {

/***/ 1908:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TH: () => (/* binding */ listKeys),
/* harmony export */   cF: () => (/* binding */ createKey),
/* harmony export */   l0: () => (/* binding */ deleteKey)
/* harmony export */ });
/* harmony import */ var _graphql_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7798);
/* harmony import */ var _values_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5697);
// Prefect Cloud 1 API keys: list (metadata only, never values), create, delete.


const LIST = 'query { auth_api_key { id name created expires_at user_id } }';
const CREATE = 'mutation ($input: create_api_key_input!) { create_api_key(input: $input) { id key } }';
const DELETE = 'mutation ($input: delete_api_key_input!) { delete_api_key(input: $input) { success } }';
/** For a service-account key: the metadata of every service-account key of the tenant. */
async function listKeys(api) {
    const answer = await (0,_graphql_js__WEBPACK_IMPORTED_MODULE_0__/* .sendGraphql */ .Qf)(api, LIST);
    if (answer.problem)
        return answer;
    if (!Array.isArray(answer.data.auth_api_key))
        throw new _values_js__WEBPACK_IMPORTED_MODULE_1__/* .UnexpectedAnswerError */ .qx('auth_api_key is not a list');
    return {
        data: {
            auth_api_key: answer.data.auth_api_key.map((value) => {
                const key = (0,_values_js__WEBPACK_IMPORTED_MODULE_1__/* .object */ .Ik)(value, 'an auth_api_key entry');
                return {
                    id: (0,_values_js__WEBPACK_IMPORTED_MODULE_1__/* .uuid */ .uR)(key.id, 'auth_api_key.id'),
                    name: (0,_values_js__WEBPACK_IMPORTED_MODULE_1__/* .name */ .UU)(key.name, 'auth_api_key.name'),
                    created: (0,_values_js__WEBPACK_IMPORTED_MODULE_1__/* .timestamp */ .vE)(key.created, 'auth_api_key.created'),
                    expires_at: (0,_values_js__WEBPACK_IMPORTED_MODULE_1__/* .optionalTimestamp */ .t7)(key.expires_at, 'auth_api_key.expires_at'),
                    user_id: (0,_values_js__WEBPACK_IMPORTED_MODULE_1__/* .uuid */ .uR)(key.user_id, 'auth_api_key.user_id'),
                };
            }),
        },
    };
}
/** Sent once: see sendGraphqlOnce. */
async function createKey(api, input) {
    const answer = await (0,_graphql_js__WEBPACK_IMPORTED_MODULE_0__/* .sendGraphqlOnce */ .Bi)(api, CREATE, { input });
    if (answer.problem)
        return answer;
    if (answer.data.create_api_key === null || answer.data.create_api_key === undefined)
        return { data: { create_api_key: null } };
    const created = (0,_values_js__WEBPACK_IMPORTED_MODULE_1__/* .object */ .Ik)(answer.data.create_api_key, 'create_api_key');
    return { data: { create_api_key: { id: (0,_values_js__WEBPACK_IMPORTED_MODULE_1__/* .uuid */ .uR)(created.id, 'create_api_key.id'), key: (0,_values_js__WEBPACK_IMPORTED_MODULE_1__/* .cloud1Key */ .U9)(created.key, 'create_api_key.key') } } };
}
/** Deleting twice is harmless, so this is retried; success false means the key was not there. */
function deleteKey(api, keyId) {
    return (0,_graphql_js__WEBPACK_IMPORTED_MODULE_0__/* .sendGraphql */ .Qf)(api, DELETE, { input: { key_id: keyId } });
}


/***/ }),

/***/ 7798:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bi: () => (/* binding */ sendGraphqlOnce),
/* harmony export */   G9: () => (/* binding */ NOT_PREFECT),
/* harmony export */   Qf: () => (/* binding */ sendGraphql),
/* harmony export */   lj: () => (/* binding */ authInfo)
/* harmony export */ });
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2305);
/* harmony import */ var _safe_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1452);
/* harmony import */ var _values_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5697);
// Prefect Cloud 1's GraphQL API. Errors often come back with HTTP 200 in an
// `errors` array; a read is retried through transient ones, a mutation is
// sent once, because a repeat after an ambiguous failure could create twice.



/**
 * Error codes that say the server failed, not the request: worth a retry for a
 * read. API_ERROR is among them: Prefect's own 1.x client retries it.
 */
const SERVER_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE', 'TIMEOUT', 'API_ERROR']);
/** The code of a refusal that is not Prefect's answer. */
const NOT_PREFECT = 'NOT_PREFECT';
/**
 * An authentication failure as Prefect's own 1.x client reads one:
 * UNAUTHENTICATED anywhere in the errors (a code or a message), or a
 * "Malformed Authorization header" message.
 */
function isAuthFailure(errors) {
    return errors.some((error) => {
        const text = `${typeof error.message === 'string' ? error.message : ''} ${typeof error.extensions?.code === 'string' ? error.extensions.code : ''}`;
        return /UNAUTHENTICATED|Malformed Authorization header/i.test(text);
    });
}
function problemOf(response) {
    let body;
    try {
        body = JSON.parse(response.body);
    }
    catch {
        body = undefined;
    }
    const errors = Array.isArray(body?.errors) ? body.errors.filter((error) => typeof error === 'object' && error !== null) : [];
    const first = errors[0];
    if (first) {
        const message = typeof first.message === 'string' ? (0,_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .serverWords */ .lZ)(first.message) : 'GraphQL error';
        if (isAuthFailure(errors))
            return { message, code: 'UNAUTHENTICATED' };
        const code = typeof first.extensions?.code === 'string' && /^[A-Z_]{1,50}$/.test(first.extensions.code) ? first.extensions.code : 'UNKNOWN';
        return { message, code };
    }
    if (response.status === 401 || response.status === 403) {
        // Without Prefect's JSON, the refusal came from something in between (a proxy, a firewall).
        if (body === undefined)
            return { message: `HTTP ${response.status}`, code: NOT_PREFECT };
        return response.status === 401 ? { message: 'HTTP 401', code: 'UNAUTHENTICATED' } : { message: 'HTTP 403', code: 'FORBIDDEN' };
    }
    return undefined;
}
function interpret(response, retryServerErrors) {
    const problem = problemOf(response);
    if (problem) {
        if (retryServerErrors && SERVER_CODES.has(problem.code))
            throw new _http_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .TransientAnswerError */ .ZB(`GraphQL error ${problem.code}`);
        return { problem };
    }
    let data;
    try {
        data = JSON.parse(response.body).data;
    }
    catch {
        data = undefined;
    }
    if (response.status !== 200 || data === undefined || data === null) {
        throw new _http_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .TransientAnswerError */ .ZB(`HTTP ${response.status} without GraphQL data`);
    }
    return { data: data };
}
function request(api, query, variables) {
    return {
        method: 'POST',
        url: api.url,
        headers: { authorization: `Bearer ${api.apiKey}`, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
    };
}
/**
 * A query, or a mutation that is safe to repeat (a delete): retried through
 * network failures, 5xx, 429 and server-side GraphQL errors.
 */
function sendGraphql(api, query, variables = {}) {
    return (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .sendWithRetries */ .HI)(api.policy, request(api, query, variables), (response) => interpret(response, true));
}
/**
 * A mutation that must not run twice (a create), sent once (see sendOnce).
 * An answer that proves nothing happened (an error in `errors`, a 4xx) comes
 * back as a problem; a failure short of an answer throws AmbiguousOutcomeError.
 */
function sendGraphqlOnce(api, query, variables) {
    return (0,_http_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .sendOnce */ .E4)(api.policy, request(api, query, variables), (response) => interpret(response, false));
}
/** Who the key belongs to: `auth_info`, its ids checked. For a service-account key, user_id is the service account. */
async function authInfo(api) {
    const answer = await sendGraphql(api, 'query { auth_info { user_id tenant_id } }');
    if (answer.problem)
        return answer;
    if (answer.data.auth_info === null || answer.data.auth_info === undefined)
        return { data: { auth_info: null } };
    const info = (0,_values_js__WEBPACK_IMPORTED_MODULE_2__/* .object */ .Ik)(answer.data.auth_info, 'auth_info');
    return {
        data: {
            auth_info: {
                user_id: (0,_values_js__WEBPACK_IMPORTED_MODULE_2__/* .uuid */ .uR)(info.user_id, 'auth_info.user_id'),
                tenant_id: info.tenant_id === null || info.tenant_id === undefined ? null : (0,_values_js__WEBPACK_IMPORTED_MODULE_2__/* .uuid */ .uR)(info.tenant_id, 'auth_info.tenant_id'),
            },
        },
    };
}


/***/ }),

/***/ 5722:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  rotate: () => (/* binding */ rotate)
});

// EXTERNAL MODULE: ./src/clock/timings.ts
var clock_timings = __webpack_require__(8185);
// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 21 modules
var github = __webpack_require__(1758);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-retry/dist-bundle/index.js
var dist_bundle = __webpack_require__(9735);
// EXTERNAL MODULE: ./node_modules/@octokit/plugin-throttling/dist-bundle/index.js
var plugin_throttling_dist_bundle = __webpack_require__(6856);
// EXTERNAL MODULE: ./node_modules/bottleneck/light.js
var light = __webpack_require__(3251);
var light_default = /*#__PURE__*/__webpack_require__.n(light);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./src/http/client.ts + 1 modules
var client = __webpack_require__(9674);
;// CONCATENATED MODULE: ./src/github/octokit.ts
// GitHub's REST API through @actions/github's Octokit, with the two plugins
// GitHub's best practices call for: throttling (writes spaced a second apart,
// rate limits waited out as GitHub says) and retry (5xx and lost answers).
// What is written here is only what they leave open: the step's deadline (no
// request sent and no wait begun that would end past it), a time limit on
// each attempt that leaves room for the next one, the limits GitHub signals
// without naming them (waited out through the retry plugin), and one rule:
// github-token goes to GITHUB_API_URL's origin and nowhere else, redirects and
// paging links included.







/** Redirects GitHub may answer (a renamed repository: 301), followed on GitHub's origin only. */
const REDIRECTS = new Set([301, 302, 307, 308]);
const MAX_REDIRECTS = 5;
/** GitHub's refusals, never retried. 403 and 429 are left to retryRequest below: only a rate limit is retried. */
const DO_NOT_RETRY = [400, 401, 404, 410, 422, 451];
/** What the throttling plugin waits out by itself: an exhausted quota, or a limit whose message names a secondary limit. */
function throttlingHandles(error) {
    const { message, response } = error;
    return /\bsecondary rate\b/i.test(message ?? '') || response?.headers?.['x-ratelimit-remaining'] === '0';
}
/**
 * Named AbortError so that Octokit passes it on as it is and its retry plugin does not retry it. `sent: false`:
 * the request was not sent (or, for a refused redirect, not sent on), so it cannot have taken effect.
 */
function abortError(message, details) {
    return Object.assign(new Error(message), { name: 'AbortError', ...details });
}
const deadlinePassed = (sent) => abortError("timed out: the step's deadline passed", { refused: false, sent });
/**
 * fetch for Octokit: undici's, through the process's proxy-aware dispatcher, within the step's deadline and the
 * attempt's time limit. It sends nothing to an origin other than `origin`: a paging link Octokit follows comes
 * here as the URL, and redirects are followed here by hand (fetch's own following would send the request to any
 * host before anything could look at it).
 */
function githubFetch(origin, deadline, trace, attemptMs = Infinity) {
    const githubFetch = async (input, init = {}) => {
        let url = new URL(String(input instanceof Request ? input.url : input));
        const method = (init.method ?? 'GET').toUpperCase();
        if (url.origin !== origin.origin) {
            throw abortError(`a link in GitHub's answer names another host (${url.host}); github-token is sent only to ${origin.host}`, {
                refused: true,
                sent: false,
            });
        }
        const remaining = deadline.remaining();
        if (remaining <= 0)
            throw deadlinePassed(false);
        // One time limit for the attempt, redirects and body included; when it is all the time left, it is the deadline.
        const limitMs = Math.min(remaining, attemptMs);
        // A real timer: what it ends is undici's wait on the socket, which runs on the process's timers.
        const timer = AbortSignal.timeout(limitMs);
        const signal = init.signal ? AbortSignal.any([init.signal, timer]) : timer;
        const timedOut = (cause) => {
            if (!timer.aborted)
                return undefined;
            if (limitMs >= remaining)
                return deadlinePassed(true);
            // Not an AbortError: Octokit makes it a failure with no answer, which the retry plugin retries.
            return new Error(`no answer within ${Math.ceil(limitMs / 1000)} s`, { cause });
        };
        for (let hop = 0;; hop += 1) {
            const started = deadline.clock.now();
            const line = (outcome) => `${method} ${url.host}${url.pathname}: ${outcome}, ${deadline.clock.now() - started} ms`;
            let response;
            try {
                response = (await (0,undici.fetch)(url, { ...init, signal, redirect: 'manual', dispatcher: (0,client/* dispatcher */.oh)() }));
            }
            catch (error) {
                const failure = timedOut(error) ?? error;
                trace(line(`no answer (${failure instanceof Error ? failure.message : String(failure)})`));
                throw failure;
            }
            trace(line(`HTTP ${response.status}`));
            const location = response.headers.get('location');
            if (!REDIRECTS.has(response.status) || !location)
                return whole(response, method, timedOut);
            const next = new URL(location, url);
            if (next.origin !== origin.origin) {
                throw abortError(`GitHub redirected to another host (${next.host}); github-token is sent only to ${origin.host}`, { refused: true, sent: false });
            }
            if (hop >= MAX_REDIRECTS)
                throw abortError(`GitHub redirected more than ${MAX_REDIRECTS} times`, { refused: true, sent: false });
            await response.body?.cancel();
            url = next;
        }
    };
    return githubFetch;
}
/**
 * The answer read whole before Octokit sees it. Octokit reads a body that is
 * cut short as an empty one; here it is what it is, a failure with no
 * complete answer, which the retry plugin retries (and which, after a write,
 * means the write may have landed). A read's 2xx JSON that does not parse is
 * the same: an answer cut short.
 */
async function whole(response, method, timedOut) {
    let body;
    try {
        body = await response.text();
    }
    catch (error) {
        throw timedOut(error) ?? new Error(`answer cut short: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    // 204, 205 and 304 have no body, whatever their content-type says.
    const empty = response.status === 204 || response.status === 205 || response.status === 304;
    const json = /json/i.test(response.headers.get('content-type') ?? '');
    if (method === 'GET' && response.ok && json && !empty) {
        try {
            JSON.parse(body);
        }
        catch {
            throw new Error(`answer cut short: HTTP ${response.status} with a body that is not JSON`);
        }
    }
    const copy = new Response(empty ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
    // Octokit's pagination reads the answer's URL; a Response made here has none of its own.
    Object.defineProperty(copy, 'url', { value: response.url });
    return copy;
}
/**
 * The rate limit an error reports, if it is one: GitHub's rules for primary and secondary limits. The client passes
 * its clock's time; a caller that only words a message from the error may leave the process's.
 */
function rateLimitOf(error, now = Date.now()) {
    const { status, message, response, rateLimitStop } = (error ?? {});
    if ((status !== 403 && status !== 429) || !response)
        return undefined;
    const stop = rateLimitStop ?? 'deadline';
    const headers = response.headers ?? {};
    const retryAfter = Number(headers['retry-after']);
    const hasRetryAfter = headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0;
    // GitHub: retry-after means wait that long; a 429 without an exhausted quota is a secondary limit (wait at least a minute).
    if (/\bsecondary rate\b/i.test(message ?? '') || hasRetryAfter || (status === 429 && headers['x-ratelimit-remaining'] !== '0')) {
        return { kind: 'secondary', until: now + (hasRetryAfter ? retryAfter : 60) * 1000, stop };
    }
    if (headers['x-ratelimit-remaining'] !== '0')
        return undefined;
    const reset = Number(headers['x-ratelimit-reset']);
    return { kind: 'primary', until: Number.isFinite(reset) ? Math.max(now, reset * 1000 + 1000) : now + 60_000, stop };
}
function githubClient(options) {
    const { deadline, log, retries } = options;
    const { clock } = deadline;
    const waits = {
        retryBaseMs: clock_timings/* DEFAULT_TIMINGS */.k.githubRetryBaseMs,
        rateLimitBaseMs: clock_timings/* DEFAULT_TIMINGS */.k.githubRateLimitBaseMs,
        writeSpacingMs: clock_timings/* DEFAULT_TIMINGS */.k.writeSpacingMs,
        ...options.waits,
    };
    const attemptTimeout = options.attemptTimeout ?? ((_remainingMs, retriesLeft, nextPauseMs) => deadline.attempt(retriesLeft, nextPauseMs));
    const origin = new URL(options.baseUrl);
    // Keyed by the options object each call's attempts share (see the outer hook below), and by each error an attempt threw.
    const calls = new WeakMap();
    /**
     * The throttling plugin's handlers: true to wait out the limit (the plugin then waits `retryAfter`), when the
     * retries and the deadline allow. A secondary limit that repeats is backed off further, as GitHub asks.
     */
    const waitOut = (kind) => async (retryAfterSeconds, request, _octokit, retryCount) => {
        const backOffMs = kind === 'secondary' ? retryAfterSeconds * waits.rateLimitBaseMs * (2 ** retryCount - 1) : 0;
        const waitMs = retryAfterSeconds * waits.rateLimitBaseMs + backOffMs;
        const stop = !deadline.allows(waitMs) ? 'deadline' : retryCount >= retries ? 'retries' : undefined;
        if (stop) {
            const call = calls.get(request);
            if (call)
                call.rateLimitStop = stop;
            return false;
        }
        log(`GitHub's ${kind} rate limit: waiting ${Math.ceil(waitMs / waits.rateLimitBaseMs)} s before ${request.method} ${request.url} is sent again.`);
        if (backOffMs > 0)
            await clock.sleep(backOffMs);
        return true;
    };
    /**
     * Inside both plugins, so it sees every attempt they make: each gets a share of the time left that leaves room for
     * the retries after it, and what it got is kept for the message.
     */
    let lastWriteEnded = -Infinity;
    const attempts = (octokit) => {
        octokit.hook.wrap('request', async (request, requestOptions) => {
            const call = calls.get(requestOptions) ?? { route: '', attempts: [] };
            const writing = requestOptions.method !== 'GET' && requestOptions.method !== 'HEAD';
            const spacing = writing ? lastWriteEnded + waits.writeSpacingMs - clock.now() : 0;
            if (spacing > 0)
                await clock.sleep(spacing);
            const remaining = deadline.remaining();
            // The retry plugin waits (retry number)² × its base before a retry: an attempt after which that wait would not
            // fit is the last, and gets all the time left (attemptShare).
            const nextPauseMs = (call.attempts.length + 1) ** 2 * waits.retryBaseMs;
            const limitMs = remaining > 0 ? attemptTimeout(remaining, Math.max(0, retries - call.attempts.length), nextPauseMs) : 0;
            // The hooks further in (Octokit's token) read the call's options, not any passed to `request`: the attempt's
            // fetch is set on the call's own `request` object (see the outer hook), which its attempts share one at a time.
            requestOptions.request.fetch = githubFetch(origin, deadline, options.trace, limitMs);
            try {
                return await request(requestOptions);
            }
            catch (error) {
                const { response, sent } = error;
                if (sent !== false)
                    call.attempts.push({ status: response?.status });
                if (typeof error === 'object' && error !== null)
                    calls.set(error, call);
                throw error;
            }
            finally {
                if (writing)
                    lastWriteEnded = clock.now();
            }
        });
    };
    // The plugins' own waits (Bottleneck's spacing, the retry and throttling plugins' pauses) run on the process's
    // timers, which neither plugin lets a caller replace: they are shortened through `waits` (Timings), and every
    // decision about them (the deadline, the retries) is taken here on the deadline's clock.
    const octokit = (0,github/* getOctokit */.Q)(options.token, {
        baseUrl: options.baseUrl,
        userAgent: 'prefect-cloud-key-action',
        request: { fetch: githubFetch(origin, deadline, options.trace) },
        log: { debug: options.trace, info: options.trace, warn: options.trace, error: options.trace },
        throttle: {
            onRateLimit: waitOut('primary'),
            onSecondaryRateLimit: waitOut('secondary'),
            retryAfterBaseValue: waits.rateLimitBaseMs,
            // This client's own queues (the plugin's defaults are the whole process's). Its requests one at a time, as
            // GitHub asks of a token's requests: the plugin runs each request inside its global queue. Its write
            // queue only spaces the starts of writes (it schedules an empty job), so it is given no spacing: the
            // second between writes is counted by the attempts hook above, inside that queue, from the end of the
            // previous write (Timings.writeSpacingMs).
            write: new (light_default()).Group({ maxConcurrent: 1, minTime: 0 }),
            // The plugin takes `global` from these options as it takes `write` (its state is these options); its types omit it.
            ...{ global: new (light_default()).Group({ maxConcurrent: 1, minTime: 0 }) },
        },
        retry: { retries, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: waits.retryBaseMs },
    }, attempts, plugin_throttling_dist_bundle/* throttling */.A, dist_bundle/* retry */.L);
    // The retry plugin asks retryRequest (its documented way to retry a request) how many retries a failure may have,
    // and after how long. Two answers are changed here. A 403 or 429: a refusal is not retried, nor is a limit the
    // throttling plugin has already decided on; GitHub's other limits (a retry-after on a refusal that names no limit,
    // a 429 with quota left) are retried after as long as GitHub asked, which the throttling plugin does not know to
    // do. And whatever the failure, a retry that would be sent past the deadline is not made, so that the failure
    // GitHub answered is the one the caller gets.
    const plugin = octokit.retry;
    const retryRequest = plugin.retryRequest;
    plugin.retryRequest = (error, allowed, retryAfter) => {
        const { status } = error;
        let waitMs = retryAfter * waits.retryBaseMs;
        const pastDeadline = () => !deadline.allows(waitMs);
        if (status === 403 || status === 429) {
            const limit = rateLimitOf(error, clock.now());
            if (!limit || throttlingHandles(error))
                return retryRequest(error, 0, retryAfter);
            waitMs = Math.max(0, limit.until - clock.now()) * (waits.rateLimitBaseMs / 1000);
            const call = calls.get(error);
            const retried = (call?.attempts.length ?? 1) - 1;
            if (!pastDeadline() && retried < allowed) {
                log(`GitHub's ${limit.kind} rate limit: waiting ${Math.ceil((limit.until - clock.now()) / 1000)} s before ${call?.route} is sent again.`);
            }
        }
        return retryRequest(error, pastDeadline() ? 0 : allowed, Math.ceil(waitMs / waits.retryBaseMs));
    };
    // Outermost. Every hook sees one call's options object, and so does the throttling plugin's handler: what the
    // call's attempts got is kept under it. Octokit hands every call the same `request` object, on which both
    // plugins keep their retry count: each call gets a copy, or one call's retries would lengthen the next one's waits.
    octokit.hook.wrap('request', async (request, requestOptions) => {
        requestOptions.request = { ...requestOptions.request };
        const call = { route: `${requestOptions.method} ${requestOptions.url}`, attempts: [] };
        calls.set(requestOptions, call);
        try {
            return await request(requestOptions);
        }
        catch (error) {
            if (typeof error !== 'object' || error === null)
                throw error;
            const limit = rateLimitOf(error, clock.now());
            // The throttling plugin's handler said why it stopped; for the limits retried above, the attempts say it.
            const rateLimitStop = limit ? (call.rateLimitStop ?? (call.attempts.length > retries ? 'retries' : 'deadline')) : undefined;
            throw Object.assign(error, { attempts: call.attempts }, rateLimitStop ? { rateLimitStop } : {});
        }
    });
    return octokit;
}

// EXTERNAL MODULE: ./node_modules/libsodium-wrappers/dist/modules-esm/libsodium-wrappers.mjs + 1 modules
var libsodium_wrappers = __webpack_require__(4768);
;// CONCATENATED MODULE: ./src/github/seal.ts
// GitHub's secret encryption: a libsodium sealed box against the
// destination's public key. The key is read here, one way, both by pre-flight
// and by the write: a key that Node's Buffer decodes leniently (base64url, no
// padding, a line break) but libsodium refuses would otherwise pass pre-flight
// and fail every write after an irreversible rotation.

/** A sealed box's public key is this many bytes (crypto_box_PUBLICKEYBYTES). */
const PUBLIC_KEY_BYTES = 32;
/** The public key as the sealing uses it; undefined when it is not 32 bytes of standard, padded base64. */
async function sealingKey(publicKeyBase64) {
    await libsodium_wrappers/* default.ready */.Ay.ready;
    let key;
    try {
        key = libsodium_wrappers/* default.from_base64 */.Ay.from_base64(publicKeyBase64, libsodium_wrappers/* default.base64_variants */.Ay.base64_variants.ORIGINAL);
    }
    catch {
        return undefined;
    }
    return key.length === PUBLIC_KEY_BYTES ? key : undefined;
}
async function seal(value, publicKeyBase64) {
    const publicKey = await sealingKey(publicKeyBase64);
    if (!publicKey)
        throw new Error('the public key is not 32 bytes of base64');
    const box = libsodium_wrappers/* default */.Ay.crypto_box_seal(libsodium_wrappers/* default.from_string */.Ay.from_string(value), publicKey);
    return libsodium_wrappers/* default.to_base64 */.Ay.to_base64(box, libsodium_wrappers/* default.base64_variants */.Ay.base64_variants.ORIGINAL);
}

// EXTERNAL MODULE: ./src/safe-text.ts
var safe_text = __webpack_require__(1452);
;// CONCATENATED MODULE: ./src/github/secrets.ts
// GitHub's Actions secrets API, through Octokit's endpoint methods: public
// keys, an organization secret's settings, and writing a sealed value. Every
// failure says what GitHub answered and, for a refusal, which permission
// GitHub's table lists for that endpoint; a rate limit is never mistaken for one.



/** GitHub refused, or could not be asked: the message says what to change. */
class GithubError extends Error {
    name = 'GithubError';
    /** The answer's status; undefined when no answer came (the request may have landed). */
    status;
    /** Set when GitHub's rate limit stopped the request. */
    rateLimit;
    /** A write that failed this way may have taken effect: an attempt got no answer, or GitHub answered an unexpected 2xx. */
    mayHaveLanded;
    constructor(message, status, rateLimit, mayHaveLanded = false) {
        super(message);
        this.status = status;
        this.rateLimit = rateLimit;
        this.mayHaveLanded = mayHaveLanded;
    }
}
function describeDestination(destination) {
    if (destination.kind === 'repo')
        return `repository ${destination.repo}`;
    if (destination.kind === 'environment')
        return `environment ${destination.environment} of ${destination.repo}`;
    return `organization ${destination.org}`;
}
/** The fine-grained permission GitHub's permission table lists for the destination's secrets endpoints. */
function permissionNeeded(destination) {
    if (destination.kind === 'org')
        return 'the organization permission "Secrets: Read and write" (a GitHub App: organization_secrets: write)';
    if (destination.kind === 'environment')
        return 'the repository permission "Environments: Read and write" (a GitHub App: environments: write)';
    return 'the repository permission "Secrets: Read and write" (a GitHub App: secrets: write)';
}
/** GitHub's own words, on one line: they are quoted in a log line (which the runner layer redacts, then bounds). */
function githubSaid(error) {
    const { status, response } = error;
    const data = response?.data;
    const message = typeof data?.message === 'string' ? (0,safe_text/* serverWords */.lZ)(data.message) : '';
    return message ? `HTTP ${status}: ${message}` : `HTTP ${status}`;
}
function timeOf(ms) {
    return new Date(Math.ceil(ms / 1000) * 1000).toISOString();
}
/** What the attempts got, in order, runs of the same counted: "HTTP 500 ×3", "no answer, then HTTP 502 ×2". */
function attemptsSaid(attempts) {
    const runs = [];
    for (const { status } of attempts) {
        const said = status === undefined ? 'no answer' : `HTTP ${status}`;
        const last = runs.at(-1);
        if (last?.said === said)
            last.count += 1;
        else
            runs.push({ said, count: 1 });
    }
    return runs.map(({ said, count }) => (count > 1 ? `${said} ×${count}` : said)).join(', then ');
}
/** Turns whatever Octokit threw into a GithubError that says what happened and what to do. */
function githubFailure(error, destination, what) {
    if (error instanceof GithubError)
        return error;
    const where = describeDestination(destination);
    const { status, response, refused, sent, attempts = [], } = (error ?? {});
    // Only an attempt that got no answer can have landed unseen: GitHub's answers say the write did not happen.
    const mayHaveLanded = attempts.some((attempt) => attempt.status === undefined);
    if (!response) {
        const reason = error instanceof Error ? error.message : String(error);
        if (refused) {
            return new GithubError(`The action refused GitHub's answer when asked to ${what} of ${where}: ${reason}. It sent nothing further, so this request did not take effect.`, undefined, undefined, mayHaveLanded);
        }
        if (sent === false) {
            const before = attempts.length > 0 ? ` again (before, GitHub gave ${attemptsSaid(attempts)})` : '';
            return new GithubError(`The request to ${what} of ${where} was not sent${before}: ${reason}.`, undefined, undefined, mayHaveLanded);
        }
        if (attempts.some((attempt) => attempt.status !== undefined)) {
            return new GithubError(`When asked to ${what} of ${where}, GitHub gave ${attemptsSaid(attempts)} (the last: ${reason}).`, undefined, undefined, true);
        }
        const tries = attempts.length > 1 ? `; ${attempts.length} attempts` : '';
        return new GithubError(`GitHub did not answer when asked to ${what} of ${where} (${reason}${tries})`, undefined, undefined, true);
    }
    const limit = rateLimitOf(error);
    if (limit) {
        const again = timeOf(limit.until);
        const advice = limit.stop === 'retries'
            ? `it was still limited after as many waits as retries allows; GitHub accepts requests again at ${again}. Run the workflow again after that time, or raise retries.`
            : `GitHub accepts requests again at ${again}, after this step's deadline. Run the workflow again after that time.`;
        return new GithubError(`GitHub's ${limit.kind} rate limit stopped the request to ${what} of ${where} (${githubSaid(error)}); ${advice}`, status, limit, mayHaveLanded);
    }
    const said = githubSaid(error);
    if (status === 401)
        return new GithubError(`GitHub rejected github-token (${said}): it is wrong or expired.`, status);
    if (status === 403) {
        return new GithubError(`github-token may not ${what} of ${where} (${said}). It needs ${permissionNeeded(destination)}; the workflow's GITHUB_TOKEN cannot write secrets, so use a fine-grained personal access token or a GitHub App token.`, status, undefined, mayHaveLanded);
    }
    if (status === 404)
        return new GithubError(`GitHub does not know ${where}, or github-token cannot see it (${said}).`, status, undefined, mayHaveLanded);
    if (attempts.length <= 1)
        return new GithubError(`GitHub answered ${said} when asked to ${what} of ${where}.`, status, undefined, mayHaveLanded);
    // Every attempt counted ("HTTP 500 ×3"): one answer said once would read as one try, and a lost one as none.
    const gave = mayHaveLanded ? `gave ${attemptsSaid(attempts)}` : `answered ${attemptsSaid(attempts)}`;
    const last = said === `HTTP ${status}` ? '' : ` (the last: ${said})`;
    return new GithubError(`GitHub ${gave} when asked to ${what} of ${where}${last}.`, status, undefined, mayHaveLanded);
}
function ownerAndRepo(repository) {
    const [owner = '', repo = ''] = repository.split('/');
    return { owner, repo };
}
/** A public key as GitHub describes it: key_id a string, key 32 bytes of base64, read as the sealing will read it. */
async function checkedKey(data) {
    const { key_id: keyId, key } = data;
    if (typeof keyId !== 'string' || !/^[A-Za-z0-9+/=_-]{1,100}$/.test(keyId) || typeof key !== 'string' || !(await sealingKey(key))) {
        throw new GithubError('GitHub answered with a public key that is not one (a key_id and 32 bytes of base64 were expected).');
    }
    return { keyId, key };
}
async function publicKey(octokit, destination) {
    try {
        if (destination.kind === 'org')
            return await checkedKey((await octokit.rest.actions.getOrgPublicKey({ org: destination.org })).data);
        const { owner, repo } = ownerAndRepo(destination.repo);
        if (destination.kind === 'environment') {
            return await checkedKey((await octokit.rest.actions.getEnvironmentPublicKey({ owner, repo, environment_name: destination.environment })).data);
        }
        return await checkedKey((await octokit.rest.actions.getRepoPublicKey({ owner, repo })).data);
    }
    catch (error) {
        throw githubFailure(error, destination, 'read the secrets public key');
    }
}
const VISIBILITIES = new Set(['all', 'private', 'selected']);
/** An organization secret's visibility (and its repositories when `selected`), to keep them when it is written. */
async function orgSecretSettings(octokit, org, name) {
    const destination = { kind: 'org', org };
    let visibility;
    try {
        visibility = (await octokit.rest.actions.getOrgSecret({ org, secret_name: name })).data.visibility;
    }
    catch (error) {
        if (error.status === 404) {
            throw new GithubError(`Organization secret ${name} does not exist in ${org}, or github-token cannot see it. Create it once with the visibility it should have; rotation keeps that visibility.`, 404);
        }
        throw githubFailure(error, destination, 'read the secret settings');
    }
    if (!VISIBILITIES.has(visibility))
        throw new GithubError(`GitHub answered with an organization secret visibility that is not all, private or selected.`);
    if (visibility !== 'selected')
        return { visibility: visibility };
    try {
        // Every selected repository must be kept: writing a shorter list would drop the rest.
        const repositories = await octokit.paginate(octokit.rest.actions.listSelectedReposForOrgSecret, { org, secret_name: name, per_page: 100 });
        const selectedRepositoryIds = repositories.map((repository) => repository.id);
        if (!selectedRepositoryIds.every((id) => Number.isSafeInteger(id) && id > 0))
            throw new GithubError('GitHub answered with a repository id that is not one.');
        return { visibility: 'selected', selectedRepositoryIds };
    }
    catch (error) {
        throw githubFailure(error, destination, 'read the selected repositories');
    }
}
/** PUT the sealed value: 201 created, 204 updated. */
async function putSecret(octokit, write) {
    const { destination, name, encryptedValue, keyId } = write;
    const sealed = { secret_name: name, encrypted_value: encryptedValue, key_id: keyId };
    let status;
    try {
        if (destination.kind === 'org') {
            const { visibility, selectedRepositoryIds } = write.org ?? { visibility: 'private' };
            ({ status } = await octokit.rest.actions.createOrUpdateOrgSecret({
                org: destination.org,
                ...sealed,
                visibility,
                ...(selectedRepositoryIds ? { selected_repository_ids: selectedRepositoryIds } : {}),
            }));
        }
        else if (destination.kind === 'environment') {
            ({ status } = await octokit.rest.actions.createOrUpdateEnvironmentSecret({
                ...ownerAndRepo(destination.repo),
                environment_name: destination.environment,
                ...sealed,
            }));
        }
        else {
            ({ status } = await octokit.rest.actions.createOrUpdateRepoSecret({ ...ownerAndRepo(destination.repo), ...sealed }));
        }
    }
    catch (error) {
        throw githubFailure(error, destination, `write secret ${name}`);
    }
    // 201 created, 204 updated: anything else is not GitHub's answer to a secret write. Another 2xx (a proxy's,
    // another GitHub version's) says the write succeeded, but not as GitHub documents it: it is not counted as
    // written (the old key is not retired on its word), nor as not written (the new key is not deleted either).
    if (status !== 201 && status !== 204) {
        const success = status >= 200 && status < 300;
        const landed = success ? ': the secret may have been written' : '';
        throw new GithubError(`GitHub answered HTTP ${status}, which it does not send to a secret write, when asked to write secret ${name} of ${describeDestination(destination)}${landed}.`, status, undefined, success);
    }
}
/** When the secret was last written (its updated_at); undefined when it does not exist. */
async function secretUpdatedAt(octokit, destination, name) {
    try {
        let updated;
        if (destination.kind === 'org')
            updated = (await octokit.rest.actions.getOrgSecret({ org: destination.org, secret_name: name })).data.updated_at;
        else if (destination.kind === 'environment') {
            const { owner, repo } = ownerAndRepo(destination.repo);
            updated = (await octokit.rest.actions.getEnvironmentSecret({ owner, repo, environment_name: destination.environment, secret_name: name })).data
                .updated_at;
        }
        else
            updated = (await octokit.rest.actions.getRepoSecret({ ...ownerAndRepo(destination.repo), secret_name: name })).data.updated_at;
        const at = Date.parse(updated);
        if (Number.isNaN(at))
            throw new GithubError('GitHub answered with a secret whose updated_at is not a time.');
        return at;
    }
    catch (error) {
        if (error.status === 404)
            return undefined;
        throw githubFailure(error, destination, `read secret ${name}`);
    }
}

// EXTERNAL MODULE: ./src/prefect/expiry.ts
var expiry = __webpack_require__(7248);
;// CONCATENATED MODULE: ./src/rotate/plan.ts
// The order that loses nothing: read everything first, then create, verify,
// write every secret, and only then retire the old key. Every failure after
// the create either undoes it or leaves the new key in a masked output with
// a message that says what still works and what to do.


function expiryFromDays(days, now) {
    return days === undefined ? null : new Date(now + days * 86_400_000).toISOString();
}
/** A step of the rotation failed; the message says why. */
class RotationError extends Error {
    name = 'RotationError';
}
/** Why a key is not due for rotation under rotate-if-expires-within-days; undefined when it is due. */
function notDueReason(expiration, withinDays, now) {
    if (expiration === null)
        return `the key never expires, so it is not due (rotate-if-expires-within-days: ${withinDays}).`;
    if (expiration === undefined)
        return `when the key expires is unknown, so it is not rotated on that account (rotate-if-expires-within-days: ${withinDays}).`;
    const days = (0,expiry/* daysLeft */.H_)(expiration, now);
    if (days < withinDays)
        return undefined;
    return `the key expires at ${expiration}, in ${days} days: not within ${withinDays}, so it is not due.`;
}
/** What a cancelled run says: the runner stops the job, and this run starts no further step. */
const CANCELLED = 'the job was cancelled';
/** An error's message without its closing period: it is quoted inside a sentence. */
function reasonOf(error) {
    return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}
async function runRotation(rotation, secrets, options) {
    const outcome = { dryRun: options.dryRun, rotated: false, newKeyLive: false, written: [], failed: [], steps: [] };
    options.onOutcome?.(outcome);
    const cancelled = () => options.cancelled?.() ?? false;
    const step = (line) => {
        outcome.steps.push(line);
        options.log(line);
    };
    const where = secrets.destinations.map(describeDestination).join(', ');
    try {
        await Promise.all([rotation.preflight(), secrets.preflight()]);
    }
    catch (error) {
        outcome.error = `Pre-flight failed, nothing was changed: ${reasonOf(error)}.`;
        return outcome;
    }
    step(`Pre-flight passed: the key, the service account and every secret destination (${where}) answered.`);
    if (options.rotateIfExpiresWithinDays !== undefined) {
        const notDue = notDueReason(rotation.currentKeyExpiration(), options.rotateIfExpiresWithinDays, (options.now ?? Date.now)());
        if (notDue) {
            outcome.skipped = notDue;
            step(`Not rotated: ${notDue}`);
            return outcome;
        }
    }
    const recent = rotation.recentRotation?.();
    if (recent) {
        const at = new Date(recent.at).toISOString();
        let seen;
        try {
            seen = await secrets.writtenSince(recent.at);
        }
        catch (error) {
            outcome.error = `Pre-flight failed, nothing was changed: the service account's key was made at ${at}, within the grace period, and the secrets could not be read to see who holds it (${reasonOf(error)}).`;
            return outcome;
        }
        if (seen.written === seen.of) {
            outcome.skipped = `the service account's key was rotated at ${at}, within old-key-grace-seconds, and every destination was written since: it holds that key, so there is nothing to do.`;
            outcome.upToDate = true;
            step(`Not rotated: ${outcome.skipped}`);
            return outcome;
        }
        if (seen.written === 0) {
            outcome.error = `Not rotated: the service account's key was rotated at ${at}, less than old-key-grace-seconds ago, and none of these destinations was written since. Rotating again now would retire a key that another workflow's destinations may hold before its grace ends. Every holder of a service account's key must be a destination of one rotation. If a run died after rotating, its key is lost: run again after ${new Date(recent.graceEnds).toISOString()}, when that key's grace is over.`;
            return outcome;
        }
        // Some of these destinations hold the current key: an earlier run of this rotation stopped part-way. Rotating
        // again retires only a key these destinations held, and writes its successor to all of them.
        step(`The service account's key was rotated at ${at} and ${seen.written} of ${seen.of} destinations hold it: an earlier run stopped part-way, so this run rotates again and writes every destination.`);
    }
    if (options.dryRun) {
        const plan = rotation.describe();
        step(`Dry run: would ${plan.create}, write secret ${options.secretName} to ${where}, then ${plan.retire}. Nothing was changed.`);
        return outcome;
    }
    if (cancelled()) {
        outcome.error = `The job was cancelled before the rotation: nothing was changed.`;
        return outcome;
    }
    let key;
    try {
        key = await rotation.create(options.mask);
    }
    catch (error) {
        outcome.error = `Creating the new key failed: ${reasonOf(error)}.`;
        return outcome;
    }
    outcome.newKey = key;
    outcome.newKeyLive = true;
    step(`Created new key ${key.id}${key.expiresAt ? `, expiring ${key.expiresAt}` : ', never expiring'}.`);
    const FINISH = 'Run the workflow again to finish.';
    /** What to do next, when the new key stays live; `held`: some secret holds it. */
    const next = (held) => (held ? FINISH : (rotation.withoutHolders?.() ?? FINISH));
    const undo = async (why) => {
        if (await rotation.rollback(key).catch(() => false)) {
            outcome.newKeyLive = false;
            step(`Deleted the new key again: ${why}`);
            outcome.error = `${why} The new key was deleted again; the old key and the secrets are as they were.`;
            return;
        }
        outcome.error = `${why} The new key is in this step's masked new-api-key output for a following step; ${rotation.oldKeyStanding()} ${next(false)}`;
    };
    if (cancelled()) {
        await undo('The job was cancelled after the new key was created.');
        return outcome;
    }
    try {
        await rotation.verify(key);
    }
    catch (error) {
        await undo(`The new key did not pass the check: ${reasonOf(error)}.`);
        return outcome;
    }
    step('The new key passed the check.');
    // outcome.written grows as the writes land: a second signal mid-way reports the secrets that hold the new key.
    const results = await secrets.write(options.secretName, key.value, cancelled, (destination) => {
        outcome.written.push(destination);
        step(`Wrote secret ${options.secretName} to ${describeDestination(destination)}.`);
    });
    outcome.failed = results.failed;
    if (results.failed.length > 0) {
        const failures = results.failed.map(({ destination, reason }) => `${describeDestination(destination)}: ${reason}`).join('; ');
        const unsure = results.failed.filter((failure) => failure.mayHaveLanded).map((failure) => describeDestination(failure.destination));
        if (results.written.length === 0 && unsure.length === 0) {
            await undo(`Writing secret ${options.secretName} failed (${failures}).`);
        }
        else {
            // Some secrets hold (or may hold) the new key: deleting it would break them.
            const held = results.written.length > 0 ? `was written to ${results.written.map(describeDestination).join(', ')} but not to ${failures}` : `failed (${failures})`;
            const maybe = unsure.length > 0 ? ` The answer from ${unsure.join(', ')} was lost, so it may hold the new key.` : '';
            outcome.error = `Secret ${options.secretName} ${held}.${maybe} Both keys stay live: the new one is in this step's masked new-api-key output; ${rotation.oldKeyStanding()} ${next(results.written.length > 0)}`;
        }
        return outcome;
    }
    outcome.rotated = true;
    if (cancelled()) {
        outcome.retirement = {
            revoked: false,
            detail: `The old key was not retired: ${CANCELLED}.`,
            failure: `Every secret holds the new key, but ${CANCELLED} before the old key was retired: ${rotation.oldKeyStanding()} Run the workflow again to retire it.`,
        };
        step(outcome.retirement.detail);
        outcome.error = outcome.retirement.failure;
        return outcome;
    }
    outcome.retirement = await rotation.retire(key);
    step(outcome.retirement.detail);
    if (outcome.retirement.failure)
        outcome.error = outcome.retirement.failure;
    if (outcome.retirement.replaced)
        outcome.rotated = false;
    return outcome;
}

;// CONCATENATED MODULE: ./src/rotate/destinations.ts
// The GitHub secrets that receive the new key: read before anything changes
// (a token that cannot use them fails there), then written. Both one request
// at a time, as GitHub asks of a token's requests.




/** The default of Timings.writeMsPerDestination: the writes' extension of the deadline, per destination. */
const WRITE_MS_PER_DESTINATION = clock_timings/* DEFAULT_TIMINGS */.k.writeMsPerDestination;
/**
 * How much earlier than the rotation a secret's updated_at may read and still
 * count as written after it. GitHub gives updated_at in whole seconds (a write
 * in the same second as the key was made reads up to a second before it), and
 * it comes from GitHub's clock, the key's time from Prefect's: servers kept by
 * NTP agree to well within a second, so two more are allowed for skew.
 * Larger would not be safe for free: a write made that long before the
 * rotation would count as holding the new key. Only a rotation writes these
 * secrets, and only after its key exists, so such a write is another rotation
 * of the same service account finishing seconds before this one began, which
 * is not supported (retire finds the key replaced and says so); a rerun that
 * misjudged such a destination would skip a write it should make.
 */
const WRITTEN_SINCE_TOLERANCE_MS = 3_000;
class SecretDestinations {
    destinations;
    octokit;
    deadline;
    secretName;
    writeMsPerDestination;
    prepared = [];
    /** `deadline`: the one GitHub's client keeps to, which the writes extend. */
    constructor(octokit, deadline, destinations, secretName, writeMsPerDestination = WRITE_MS_PER_DESTINATION) {
        this.octokit = octokit;
        this.deadline = deadline;
        this.destinations = destinations;
        this.secretName = secretName;
        this.writeMsPerDestination = writeMsPerDestination;
    }
    async prepare(destination) {
        const key = await publicKey(this.octokit, destination);
        const org = destination.kind === 'org' ? await orgSecretSettings(this.octokit, destination.org, this.secretName) : undefined;
        return { destination, key, org };
    }
    /** Every destination's public key (and an organization secret's visibility), one after another. */
    async preflight() {
        this.prepared = [];
        for (const destination of this.destinations)
            this.prepared.push(await this.prepare(destination));
    }
    async writeOne(prepared, name, value) {
        const put = async (key) => putSecret(this.octokit, { destination: prepared.destination, name, encryptedValue: await seal(value, key.key), keyId: key.keyId, org: prepared.org });
        try {
            await put(prepared.key);
        }
        catch (error) {
            // 422: the destination's public key changed since pre-flight; seal again once.
            if (!(error instanceof GithubError && error.status === 422))
                throw error;
            await put(await publicKey(this.octokit, prepared.destination));
        }
    }
    /** How many destinations' secrets were written at or after `since` (epoch ms, Prefect's clock), of how many. */
    async writtenSince(since) {
        let written = 0;
        for (const destination of this.destinations) {
            const at = await secretUpdatedAt(this.octokit, destination, this.secretName);
            if (at !== undefined && at >= since - WRITTEN_SINCE_TOLERANCE_MS)
                written += 1;
        }
        return { written, of: this.destinations.length };
    }
    /**
     * One destination after another (the throttling plugin spaces the writes); a failure does not stop the others.
     * `onWritten` hears of each secret as it is written, so that a job stopped mid-way can say which hold the new key.
     */
    async write(name, value, cancelled = () => false, onWritten) {
        this.deadline.extendTo(this.deadline.clock.now() + this.prepared.length * this.writeMsPerDestination);
        const results = { written: [], failed: [] };
        for (const prepared of this.prepared) {
            // A cancelled job finishes the write under way and starts no other.
            if (cancelled()) {
                results.failed.push({ destination: prepared.destination, reason: 'not written: the job was cancelled', mayHaveLanded: false });
                continue;
            }
            try {
                await this.writeOne(prepared, name, value);
            }
            catch (error) {
                results.failed.push({
                    destination: prepared.destination,
                    reason: reasonOf(error),
                    mayHaveLanded: error instanceof GithubError && error.mayHaveLanded,
                });
                continue;
            }
            results.written.push(prepared.destination);
            onWritten?.(prepared.destination);
        }
        return results;
    }
}

// EXTERNAL MODULE: ./src/http/retry.ts + 1 modules
var retry = __webpack_require__(2305);
// EXTERNAL MODULE: ./src/prefect/cloud1-keys.ts
var cloud1_keys = __webpack_require__(1908);
// EXTERNAL MODULE: ./src/prefect/graphql.ts
var graphql = __webpack_require__(7798);
// EXTERNAL MODULE: ./src/prefect/values.ts
var values = __webpack_require__(5697);
;// CONCATENATED MODULE: ./src/rotate/graphql-rotation.ts
// Rotation through Prefect Cloud 1's GraphQL API: create_api_key for the
// service account, and delete_api_key for the old key once the secrets hold
// the new one. A create can be undone, so every failure before the end
// deletes the new key again.





/** 2026-11-23T17:45:00.123Z -> 20261123T174500Z */
function keyStamp(date) {
    return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
}
function graphqlRotation(settings) {
    const { api, keyName, oldKeyId, graceSeconds } = settings;
    const serviceAccount = settings.serviceAccountId ?? settings.actorId;
    const { clock } = api.policy;
    const prefix = `${keyName}-`;
    // Only names this action gives, exactly: key-name, a dash, the UTC time. A prefix match would
    // reach keys of another key-name that starts the same (deploy and deploy-staging).
    let currentExpiration;
    /** The name this run gives its key, and the keys that existed before it created any. */
    let createdName;
    let knownBefore = new Set();
    const ours = (name) => name.startsWith(prefix) && /^\d{8}T\d{6}Z$/.test(name.slice(prefix.length));
    // Looking, undoing and revoking must get their chance even when the deadline is near.
    const cleanupApi = () => ({ ...api, policy: (0,retry/* cleanupPolicy */.b9)(api.policy) });
    async function serviceAccountKeys(from) {
        const answer = await (0,cloud1_keys/* listKeys */.TH)(from);
        if (answer.problem) {
            throw new RotationError(`Prefect Cloud 1 would not list API keys (${answer.problem.code}: ${answer.problem.message}); listing needs the Administrator role, which service accounts have`);
        }
        return answer.data.auth_api_key.filter((key) => key.user_id === serviceAccount);
    }
    async function remove(keyId, as = cleanupApi()) {
        const answer = await (0,cloud1_keys/* deleteKey */.l0)(as, keyId);
        return !answer.problem;
    }
    /** After a create whose answer cannot be used: the key it made (named `name`, not there before) must not stay live with nobody holding it. */
    async function tidy(name) {
        const made = await serviceAccountKeys(cleanupApi()).then((keys) => keys.find((key) => key.name === name && !knownBefore.has(key.id)), () => undefined);
        if (!made)
            return 'no key of that name is live';
        return (await remove(made.id).catch(() => false)) ? `key ${made.id} was deleted again` : `deleting key ${made.id} failed, so the next run deletes it`;
    }
    return {
        describe: () => ({
            create: `create a key named ${prefix}<UTC time> for service account ${serviceAccount} through the Prefect Cloud 1 GraphQL API`,
            retire: `delete ${oldKeyId ? `key ${oldKeyId} and ` : ''}older keys named ${prefix}<UTC time>${graceSeconds ? ` created more than ${graceSeconds} s before it` : ''}`,
        }),
        async preflight() {
            const keys = await serviceAccountKeys(api);
            knownBefore = new Set(keys.map((key) => key.id));
            // The key that would be rotated: old-key-id, else the newest key this action made.
            const current = keys.find((key) => key.id === oldKeyId) ?? keys.filter((key) => ours(key.name)).sort((a, b) => Date.parse(b.created) - Date.parse(a.created))[0];
            currentExpiration = current ? current.expires_at : undefined;
            // An earlier run revoked it already: the same workflow runs on every schedule, so this is no error.
            if (oldKeyId && !keys.some((key) => key.id === oldKeyId))
                settings.log(`old-key-id ${oldKeyId} is not a live key of service account ${serviceAccount}: nothing to revoke there.`);
        },
        async create(mask) {
            const name = `${prefix}${keyStamp(new Date(clock.now()))}`;
            createdName = name;
            const input = { user_id: serviceAccount, name, expires_at: expiryFromDays(settings.newKeyExpiresInDays, clock.now()) };
            for (let attempt = 0;; attempt += 1) {
                let answer;
                try {
                    answer = await (0,cloud1_keys/* createKey */.cF)(api, input);
                }
                catch (error) {
                    if (error instanceof values/* UnexpectedAnswerError */.qx) {
                        throw new RotationError(`Prefect Cloud 1 answered the create with a value it does not send (${error.message}); ${await tidy(name)}; the old key still works`);
                    }
                    if (!(error instanceof retry/* AmbiguousOutcomeError */.fH))
                        throw error;
                    // Look before trying again: a key created without its answer is useless (its value is gone), so delete it.
                    const unknown = `creating the key did not answer (${error.message}); if key ${name} was created, the next run deletes it, as its name is ${prefix}<UTC time>`;
                    let orphan;
                    try {
                        orphan = (await serviceAccountKeys(cleanupApi())).find((key) => key.name === name);
                    }
                    catch (listing) {
                        throw new RotationError(`${unknown} (listing keys to look failed: ${reasonOf(listing)})`);
                    }
                    if (orphan) {
                        if (!(await remove(orphan.id).catch(() => false)))
                            throw new RotationError(`${unknown} (it was, and deleting it failed)`);
                        settings.log(`Deleted key ${orphan.id}: it was created, but its value never arrived (${error.message}).`);
                    }
                    if (attempt >= api.policy.retries || !(await (0,retry/* pause */.v7)(api.policy, attempt, error.retryAfterMs))) {
                        throw new RotationError(`creating the key did not answer (${error.message}); the old key still works`);
                    }
                    continue;
                }
                const created = answer.data?.create_api_key;
                if (!created) {
                    const why = answer.problem ? `${answer.problem.code}: ${answer.problem.message}` : 'no key in the answer';
                    throw new RotationError(`Prefect Cloud 1 refused to create a key for service account ${serviceAccount} (${why})`);
                }
                mask(created.key);
                // A "new" key that existed before the create, or is the key this run was given, cannot be the create's: it
                // is refused, and never deleted as a rollback would, since it may be the key the secrets hold.
                const notNew = created.key === api.apiKey
                    ? 'the key this run was given'
                    : created.id === oldKeyId || knownBefore.has(created.id)
                        ? `key ${created.id}, which existed before it`
                        : undefined;
                if (notNew)
                    throw new RotationError(`Prefect Cloud 1 answered the create with ${notNew}, not a new key, so nothing was written; ${await tidy(name)}; the old key still works`);
                return { id: created.id, value: created.key, expiresAt: input.expires_at };
            }
        },
        async verify(key) {
            const newKeyApi = { ...api, apiKey: key.value };
            for (let attempt = 0;; attempt += 1) {
                const answer = await (0,graphql/* authInfo */.lj)(newKeyApi);
                const info = answer.data?.auth_info;
                if (info) {
                    if (info.user_id !== serviceAccount)
                        throw new RotationError(`the new key belongs to ${info.user_id}, not to service account ${serviceAccount}`);
                    return;
                }
                // A new key may take a moment to be known everywhere.
                if (answer.problem?.code !== 'UNAUTHENTICATED' || attempt >= api.policy.retries || !(await (0,retry/* pause */.v7)(api.policy, attempt))) {
                    throw new RotationError(`Prefect Cloud 1 does not accept the new key (${answer.problem?.code ?? 'no auth_info'})`);
                }
            }
        },
        async rollback(key) {
            return remove(key.id).catch(() => false);
        },
        async retire(key) {
            // The key this run was given may be among those revoked: speak as the new key, which the secrets hold now.
            const asNewKey = { ...cleanupApi(), apiKey: key.value };
            let keys;
            try {
                keys = await serviceAccountKeys(asNewKey);
            }
            catch (error) {
                const reason = reasonOf(error);
                return {
                    revoked: false,
                    detail: `Listing keys to revoke the old key failed (${reason}).`,
                    failure: `The secrets hold the new key, but the old key was not revoked: listing keys failed (${reason}). Run the workflow again to revoke it.`,
                };
            }
            // Ages are measured on Prefect's clock: the new key's creation time against the others'.
            const newCreated = Date.parse(keys.find((candidate) => candidate.id === key.id)?.created ?? '') || clock.now();
            const candidates = keys.filter((candidate) => candidate.id !== key.id && (candidate.id === oldKeyId || ours(candidate.name)));
            if (candidates.length === 0) {
                const detail = `No old key to revoke: none is named ${prefix}<UTC time> and old-key-id was not given.`;
                return { revoked: false, detail, warning: `${detail} A key this action did not create stays live until it is deleted: give its id as old-key-id.` };
            }
            // This run's own lost creates (its key's name, made during this run, another id) are held by nobody: revoked now, whatever the grace.
            const lostCreate = (candidate) => candidate.name === createdName && !knownBefore.has(candidate.id);
            const due = candidates.filter((candidate) => lostCreate(candidate) || newCreated - Date.parse(candidate.created) >= graceSeconds * 1000);
            const kept = candidates.filter((candidate) => !due.includes(candidate));
            const results = await Promise.all(due.map((candidate) => remove(candidate.id, asNewKey).catch(() => false)));
            let failed = due.filter((_, index) => !results[index]);
            if (failed.length > 0) {
                // A delete whose answer was lost may have been carried out: look again before calling it failed.
                const live = await serviceAccountKeys(asNewKey).then((now) => new Set(now.map((candidate) => candidate.id)), () => undefined);
                if (live)
                    failed = failed.filter((candidate) => live.has(candidate.id));
            }
            const revokedIds = due.filter((candidate) => !failed.includes(candidate)).map((candidate) => candidate.id);
            const parts = [revokedIds.length > 0 ? `Revoked old key ${revokedIds.join(', ')}.` : 'Revoked no old key.'];
            if (kept.length > 0)
                parts.push(`Kept ${kept.map((candidate) => candidate.id).join(', ')}: younger than old-key-grace-seconds (${graceSeconds} s), for a later run to revoke.`);
            const failure = failed.length > 0
                ? `The secrets hold the new key, but old key ${failed.map((candidate) => candidate.id).join(', ')} could not be revoked. Run the workflow again, or delete it in Prefect Cloud 1.`
                : undefined;
            return { revoked: failed.length === 0 && kept.length === 0, detail: parts.join(' '), failure };
        },
        oldKeyStanding: () => 'the old key still works.',
        currentKeyExpiration: () => currentExpiration,
    };
}

;// CONCATENATED MODULE: ./src/rotate/report.ts
// The rotation's outputs and its part of the job summary.


/**
 * An error first: whatever else happened, the step fails. A rotation skipped (not due, or the work already
 * done) says so even in a dry run, which stopped there too. `rotated` false without an error is a key that
 * another rotation replaced after it was written: the secrets hold a key that will stop working.
 */
function rotationEnding(outcome) {
    if (outcome.error)
        return 'failed';
    if (outcome.skipped)
        return outcome.upToDate ? 'up-to-date' : 'not-due';
    if (outcome.dryRun)
        return 'dry-run';
    return outcome.rotated ? 'rotated' : 'failed';
}
const VERDICTS = {
    failed: '❌ failed',
    'dry-run': '🧪 dry run, nothing changed',
    'not-due': '⏭️ not due, nothing changed',
    'up-to-date': '✅ up to date, nothing to do',
    rotated: '🔁 done',
};
/** The rotation's outputs, written at once (synchronously: a cancelled run writes them before it exits). */
function rotationOutputs(out, outcome) {
    const live = outcome.newKeyLive ? outcome.newKey : undefined;
    out.setOutputs({
        rotation: rotationEnding(outcome),
        'new-key-id': live?.id ?? '',
        'new-key-expires-at': live?.expiresAt ?? '',
        'old-key-expires-at': outcome.retirement?.expiresAt ?? '',
    });
    if (live)
        out.setSecretOutput('new-api-key', live.value);
}
async function reportRotation(out, outcome, secretName) {
    rotationOutputs(out, outcome);
    const lines = [`### Key rotation: ${VERDICTS[rotationEnding(outcome)]}`, '', ...outcome.steps.map((step) => `- ${(0,safe_text/* mdText */.bC)(step, 2000)}`)];
    if (outcome.error)
        lines.push(`- **${(0,safe_text/* mdText */.bC)(outcome.error, 4000)}**`);
    if (outcome.written.length + outcome.failed.length > 0) {
        lines.push('', `| Secret ${secretName} in | Written |`, '| --- | --- |');
        for (const destination of outcome.written)
            lines.push(`| ${(0,safe_text/* mdText */.bC)(describeDestination(destination))} | ✅ |`);
        for (const { destination } of outcome.failed)
            lines.push(`| ${(0,safe_text/* mdText */.bC)(describeDestination(destination))} | ❌ |`);
    }
    await out.appendSummary(lines.join('\n'));
}

// EXTERNAL MODULE: ./src/prefect/rest.ts
var rest = __webpack_require__(9273);
;// CONCATENATED MODULE: ./src/prefect/bots.ts
// Prefect Cloud's service accounts ("bots") over REST: read one, and rotate
// its key. A rotation is sent once: after an ambiguous failure the caller
// reads the bot to learn whether it happened.




/** Why a rotation was refused, and the usual set-up that works. */
const NEEDS_UPDATE_BOT = "rotating a service account's key needs the account permission update:bot, which only the Owner and Admin account roles have. A deploy service account is usually a Member: give an Owner's or Admin's key as api-key, and the deploy service account's id as service-account-id.";
/** Prefect Cloud refused the call: the message says why and what to do. */
class BotRefusal extends Error {
    name = 'BotRefusal';
}
/** Prefect's own words from a refusal, bounded and on one line. */
function detailOf(response) {
    try {
        const detail = JSON.parse(response.body).detail;
        if (detail !== undefined)
            return (0,safe_text/* serverWords */.lZ)(detail);
    }
    catch {
        // not JSON
    }
    return `HTTP ${response.status}`;
}
function refusal(response, botId, what) {
    const detail = detailOf(response);
    if (response.status === 401)
        return new BotRefusal(`Prefect Cloud rejected the API key when asked to ${what} (HTTP 401: ${detail}).`);
    if (response.status === 403)
        return new BotRefusal(`The API key may not ${what} (HTTP 403: ${detail}): ${NEEDS_UPDATE_BOT}`);
    if (response.status === 404)
        return new BotRefusal(`Service account ${botId} was not found in the account (HTTP 404: ${detail}): check service-account-id.`);
    return new BotRefusal(`Prefect Cloud answered HTTP ${response.status} (${detail}) when asked to ${what}.`);
}
/** A BotReadResponse, every field the action uses checked; `what` names it in an error (e.g. "the service account"). */
function botOf(value, what) {
    const body = (0,values/* object */.Ik)(value, what);
    const key = body.api_key === null || body.api_key === undefined ? undefined : (0,values/* object */.Ik)(body.api_key, `${what} api_key`);
    return {
        id: (0,values/* uuid */.uR)(body.id, `${what} id`),
        name: (0,values/* name */.UU)(body.name, `${what} name`),
        keyId: key ? (0,values/* uuid */.uR)(key.id, `${what} api_key.id`) : undefined,
        keyExpiration: key ? (0,values/* optionalTimestamp */.t7)(key.expiration, `${what} api_key.expiration`) : undefined,
        keyCreated: key?.created === undefined || key.created === null ? undefined : Date.parse((0,values/* timestamp */.vE)(key.created, `${what} api_key.created`)),
    };
}
function readBot(api, accountId, botId) {
    return (0,rest/* get */.Jt)(api, `/accounts/${accountId}/bots/${botId}`, (response) => {
        if (response.status !== 200)
            throw refusal(response, botId, `read service account ${botId}`);
        return botOf((0,rest/* parseJson */.qF)(response), 'the service account');
    });
}
/**
 * POST /bots/{id}/rotate_api_key, once (see sendOnce): 201 carries the only
 * copy of the new key. A failure short of an answer throws AmbiguousOutcomeError.
 */
function rotateBotKey(api, request) {
    const url = (0,rest/* under */.hG)(api.base, `/accounts/${request.accountId}/bots/${request.botId}/rotate_api_key`);
    const body = JSON.stringify({ api_key_expiration: request.expiration, old_key_expires_in_seconds: request.oldKeyExpiresInSeconds });
    const headers = { authorization: `Bearer ${api.apiKey}`, accept: 'application/json', 'content-type': 'application/json' };
    return (0,retry/* sendOnce */.E4)(api.policy, { method: 'POST', url, headers, body }, (response) => {
        if (response.status !== 201 && response.status !== 200)
            throw refusal(response, request.botId, `rotate the key of service account ${request.botId}`);
        const key = (0,values/* object */.Ik)((0,values/* object */.Ik)((0,rest/* parseJson */.qF)(response), 'the rotation answer').api_key, 'the rotation answer api_key');
        return {
            id: (0,values/* uuid */.uR)(key.id, 'the new key id'),
            value: (0,values/* cloudKey */.tk)(key.key, 'the new key'),
            expiration: (0,values/* optionalTimestamp */.t7)(key.expiration, 'the new key expiration'),
        };
    });
}
/** An account permission as Prefect writes one, e.g. update:bot. */
const PERMISSION = /^[a-z_-]{1,50}:[a-z_-]{1,50}$/;
/**
 * GET /me/accounts/{account_id}/permissions: what the key's actor may do in
 * the account. undefined when Prefect will not say (403, 404): the caller goes
 * on, and a refusal later says the same as a missing permission would.
 */
function myAccountPermissions(api, accountId) {
    return (0,rest/* get */.Jt)(api, `/me/accounts/${accountId}/permissions`, (response) => {
        if (response.status === 403 || response.status === 404)
            return undefined;
        if (response.status !== 200)
            throw refusal(response, '', `read its own account permissions`);
        const list = (0,rest/* parseJson */.qF)(response);
        if (!Array.isArray(list))
            throw new values/* UnexpectedAnswerError */.qx('the account permissions are not a list');
        return list.map((value) => {
            if (typeof value !== 'string' || !PERMISSION.test(value))
                throw new values/* UnexpectedAnswerError */.qx('an account permission is not one');
            return value;
        });
    });
}
function storedKey(value, field) {
    const key = (0,values/* object */.Ik)(value, field);
    return { id: (0,values/* uuid */.uR)(key.id, `${field}.id`), expiration: (0,values/* optionalTimestamp */.t7)(key.expiration, `${field}.expiration`) };
}
/** GET /bots/{id}/read_bot_api_keys: the active key and the rotating ones, as Prefect holds them now. */
function readBotKeys(api, accountId, botId) {
    return (0,rest/* get */.Jt)(api, `/accounts/${accountId}/bots/${botId}/read_bot_api_keys`, (response) => {
        if (response.status !== 200)
            throw refusal(response, botId, `read the keys of service account ${botId}`);
        const body = (0,values/* object */.Ik)((0,rest/* parseJson */.qF)(response), 'the service account keys');
        const rotating = body.rotating_keys ?? [];
        if (!Array.isArray(rotating))
            throw new values/* UnexpectedAnswerError */.qx('rotating_keys is not a list');
        return {
            active: body.active_key === null || body.active_key === undefined ? undefined : storedKey(body.active_key, 'active_key'),
            rotating: rotating.map((value, index) => storedKey(value, `rotating_keys[${index}]`)),
        };
    });
}

;// CONCATENATED MODULE: ./src/rotate/rest-rotation.ts
// Rotation through today's REST API: rotate_api_key replaces the key in one
// call and keeps the old one working for a grace period. It cannot be undone.






/** How long a lost rotation is watched for before the action concludes it did not happen (the default of Timings.lostRotationWatchMs). */
const WATCH_MS = clock_timings/* DEFAULT_TIMINGS */.k.lostRotationWatchMs;
/** A rotation whose answer was lost, and which Prefect shows happened: its active key is `keyId`, whose value nobody has. */
class LostRotation extends Error {
    name = 'LostRotation';
    keyId;
    constructor(reason, keyId) {
        super(reason);
        this.keyId = keyId;
    }
}
function restRotation(settings) {
    const { api, accountId, workspaceId, botId, graceSeconds } = settings;
    const { clock } = api.policy;
    const watch = settings.watch ?? { windowMs: WATCH_MS, lookMs: clock_timings/* DEFAULT_TIMINGS */.k.lostRotationLookMs };
    let botName = botId;
    let currentKeyId;
    let currentKeyExpiration;
    let currentKeyCreated;
    let rotatedAt;
    const STOPPED = 'the old key stopped working at the rotation (old-key-grace-seconds: 0).';
    const looking = () => ({ ...api, policy: (0,retry/* cleanupPolicy */.b9)(api.policy) });
    /**
     * Reads the service account until its active key is no longer `replacing`, or `windowMs` pass: a rotation
     * still in flight lands in that time. On the policy's clock, so that tests need not wait.
     */
    async function watchForRotation(replacing, windowMs) {
        const until = clock.now() + windowMs;
        for (;;) {
            let bot;
            try {
                bot = await readBot(looking(), accountId, botId);
            }
            catch (error) {
                return { unknown: reasonOf(error) };
            }
            if (bot.keyId !== replacing)
                return { changed: { keyId: bot.keyId } };
            if (clock.now() + watch.lookMs >= until)
                return {};
            await clock.sleep(watch.lookMs);
        }
    }
    /** When the old key stops, as Prefect holds it (read_bot_api_keys), else as computed from the grace period. */
    async function oldKeyEnd() {
        try {
            const keys = await readBotKeys(looking(), accountId, botId);
            const old = keys.rotating.find((key) => key.id === currentKeyId);
            if (old?.expiration)
                return `the old key keeps working until ${old.expiration}.`;
        }
        catch {
            // Prefect would not say: the computed end serves.
        }
        return standing();
    }
    const graceEnds = () => new Date((rotatedAt ?? clock.now()) + graceSeconds * 1000).toISOString();
    const standing = () => {
        if (rotatedAt === undefined)
            return 'the old key still works.';
        if (graceSeconds === 0)
            return STOPPED;
        return `the old key keeps working until ${graceEnds()}.`;
    };
    /**
     * One rotation, replacing `replacing` (the active key before it), sent once. A lost answer is looked into:
     * LostRotation when Prefect shows that it happened, a RotationError when it cannot be known or most likely did
     * not happen; only a rate limit's refusal, read unacted-on, is sent again.
     */
    async function rotateOnce(mask, replacing) {
        const request = { accountId, botId, expiration: expiryFromDays(settings.newKeyExpiresInDays, clock.now()), oldKeyExpiresInSeconds: graceSeconds || null };
        for (let attempt = 0;; attempt += 1) {
            try {
                const key = await rotateBotKey(api, request);
                mask(key.value);
                rotatedAt ??= clock.now();
                // A "new" key that is the one it replaces, or the key this run was given, cannot be the rotation's.
                const notNew = key.value === api.apiKey
                    ? 'the key this run was given'
                    : key.id === replacing || key.id === currentKeyId
                        ? `key ${key.id}, which it replaces`
                        : undefined;
                if (notNew) {
                    throw new RotationError(`Prefect Cloud answered the rotation with ${notNew}, not a new key, so nothing was written; the answer is not one Prefect sends, so what it did is unknown: ${standing()}`);
                }
                return { id: key.id, value: key.value, expiresAt: key.expiration };
            }
            catch (error) {
                if (error instanceof values/* UnexpectedAnswerError */.qx) {
                    rotatedAt ??= clock.now();
                    throw new RotationError(`Prefect Cloud rotated the key but answered with a value it does not send (${error.message}), so the new key cannot be used; ${standing()}`);
                }
                if (!(error instanceof retry/* AmbiguousOutcomeError */.fH))
                    throw error;
                // Never a second rotate_api_key while the first may still land: find out what Prefect holds first.
                // A 429 is Prefect's rate limit refusing the request before acting on it: one look confirms that.
                const refusedUnread = error.lastStatus === 429;
                const seen = await watchForRotation(replacing, refusedUnread ? 0 : watch.windowMs);
                if (seen.changed !== undefined) {
                    rotatedAt ??= clock.now();
                    throw new LostRotation(error.message, seen.changed.keyId);
                }
                if (seen.unknown) {
                    const ifItDid = graceSeconds === 0
                        ? 'if it did, the old key stopped working then and the secrets still hold it. Run the workflow again now, to rotate and write them.'
                        : `if it did not, a run of the workflow rotates; if it did, Prefect holds a new key that nobody has, the old key the secrets hold stops working about ${graceEnds()}, and a run before then refuses to rotate again, as it cannot tell that key from one another workflow's secrets hold.`;
                    throw new RotationError(`the rotation did not answer (${error.message}) and Prefect could not be asked since (${seen.unknown}): it may have happened; ${ifItDid}`);
                }
                // A rate limit refused the request before Prefect acted on it: that, and only that, is tried again.
                if (!refusedUnread || attempt >= api.policy.retries || !(await (0,retry/* pause */.v7)(api.policy, attempt, error.retryAfterMs))) {
                    throw new RotationError(`the rotation did not answer (${error.message}), and ${Math.round(watch.windowMs / 1000)} s later Prefect still shows the old key as active: it most likely did not happen, and it is not sent again while it might still land. If it lands, the old key stops working ${graceSeconds === 0 ? 'at once' : `${graceSeconds} s after that`}; the secrets hold the old key.`);
                }
            }
        }
    }
    return {
        // Prefect retires the old key itself, old-key-grace-seconds after the rotation: with 0, before any secret is written.
        describe: () => ({
            create: `rotate the key of service account ${botName} (${botId}) through the REST API${graceSeconds === 0 ? ', the old key stopping at once (no grace period)' : ''}`,
            retire: graceSeconds === 0 ? 'nothing is left to retire' : `let Prefect retire the old key ${graceSeconds} s after the rotation`,
        }),
        async preflight() {
            // Asked before anything changes: a key without update:bot would be refused only after the rotation was sent.
            const [bot, permissions] = await Promise.all([readBot(api, accountId, botId), myAccountPermissions(api, accountId)]);
            if (permissions && !permissions.includes('update:bot')) {
                throw new RotationError(`The API key's user or service account lacks the account permission update:bot: ${NEEDS_UPDATE_BOT}`);
            }
            botName = bot.name;
            currentKeyId = bot.keyId;
            currentKeyExpiration = bot.keyExpiration;
            currentKeyCreated = bot.keyCreated;
        },
        async create(mask) {
            try {
                return await rotateOnce(mask, currentKeyId);
            }
            catch (error) {
                if (!(error instanceof LostRotation))
                    throw error;
                // Prefect shows a new active key whose value never arrived: nobody can hold it, and a rerun within the
                // grace period could not tell it from a key another workflow holds, so it would refuse until the old key
                // the secrets hold had stopped working. This rotation is confirmed, not guessed: one more, replacing that
                // key, gives a key the secrets can hold now.
                settings.log(`The rotation happened, but its answer was lost (${error.message}): Prefect's active key is now ${error.keyId ?? 'none'}, whose value never arrived. Rotating once more, replacing that key, for a key the secrets can hold.`);
                try {
                    return await rotateOnce(mask, error.keyId);
                }
                catch (again) {
                    const why = again instanceof LostRotation ? `its answer was lost too (${again.message})` : reasonOf(again);
                    const next = graceSeconds === 0
                        ? `${STOPPED.replace(/\.$/, '')}, so the secrets hold a key that no longer works: run the workflow again now, to rotate and write them.`
                        : `${await oldKeyEnd()} A run before ${new Date(clock.now() + graceSeconds * 1000).toISOString()} refuses to rotate again, as it cannot tell that key from one another workflow's secrets hold; a run after then rotates and writes the secrets, which from the old key's end until that run hold a key that no longer works. To close that gap, rotate the key in Prefect Cloud and write it to the secrets by hand.`;
                    throw new RotationError(`the rotation happened, but its answer was lost (${error.message}), and rotating once more failed: ${why}. Prefect holds a new key that nobody has, and the secrets still hold the old key: ${next}`);
                }
            }
        },
        async verify(key) {
            // The new key must authenticate; /health is asked only where its service account is a member,
            // since the service account rotated need not belong to the workspace that was checked.
            const asNewKey = { ...api, apiKey: key.value };
            const workspaces = await (0,rest/* get */.Jt)(asNewKey, '/me/workspaces', (response) => {
                // A key may take a moment to be known everywhere: a 401 is retried here.
                if (response.status === 401)
                    throw new retry/* TransientAnswerError */.ZB('the new key is not accepted yet (HTTP 401)', 1000);
                if (response.status !== 200)
                    throw new RotationError(`Prefect Cloud answered HTTP ${response.status} to the new key`);
                return (0,rest/* workspacesOf */.cE)(response);
            });
            const member = workspaces.some((info) => info.account_id === accountId && info.workspace_id === workspaceId);
            if (!member) {
                settings.log(`The new key authenticates; service account ${botName} is not a member of the checked workspace, so its health check is not asked.`);
                return;
            }
            const health = await (0,rest/* get */.Jt)(asNewKey, `/accounts/${accountId}/workspaces/${workspaceId}/health`, (response) => response.status);
            if (health !== 200)
                throw new RotationError(`the workspace's health check answered HTTP ${health} to the new key`);
        },
        rollback: async () => false,
        async retire(key) {
            // Proven, not assumed: the service account's active key is the key that was written, and the old
            // key's end is what Prefect says (a rerun or another rotation may have moved it).
            let keys;
            try {
                keys = await readBotKeys({ ...api, policy: (0,retry/* cleanupPolicy */.b9)(api.policy) }, accountId, botId);
            }
            catch (error) {
                const expiresAt = graceSeconds === 0 ? undefined : graceEnds();
                return {
                    revoked: graceSeconds === 0,
                    expiresAt,
                    detail: `Prefect could not be asked which key is active (${reasonOf(error)}); ${standing()}`,
                    warning: `The rotation could not be confirmed: Prefect did not say which key of service account ${botName} is active (${reasonOf(error)}). The secrets hold the key this run created; check in Prefect Cloud that it is the active one.`,
                };
            }
            if (keys.active?.id !== key.id) {
                const ours = keys.rotating.find((rotating) => rotating.id === key.id);
                const until = ours ? (ours.expiration ? `until ${ours.expiration}` : 'for now') : 'no longer';
                return {
                    revoked: false,
                    replaced: true,
                    detail: `Another rotation replaced this run's key after it was written.`,
                    failure: `Another rotation of service account ${botName} replaced this run's key after it was written (its active key is now ${keys.active?.id ?? 'none'}): the secrets hold key ${key.id}, which works ${until}. Every holder of this service account's key must be a destination of one rotation; run the workflow again to write the active key.`,
                };
            }
            const old = keys.rotating.find((rotating) => rotating.id === currentKeyId);
            if (!old)
                return { revoked: true, detail: graceSeconds === 0 ? `The old key: ${STOPPED}` : 'The old key no longer works.' };
            const expiresAt = old.expiration ?? undefined;
            if (expiresAt) {
                return { revoked: false, expiresAt, detail: `The old key keeps working until ${expiresAt}, as Prefect Cloud holds it; then it retires.` };
            }
            // A rotation ends with the old key retired or due to stop: one left working with no end is not a finished rotation.
            return {
                revoked: false,
                detail: 'The old key keeps working: Prefect Cloud gives it no end.',
                failure: `The secrets hold the new key, but Prefect Cloud gives old key ${old.id} no end, so it keeps working. Delete it in Prefect Cloud (service account ${botName}, API keys).`,
            };
        },
        oldKeyStanding: standing,
        withoutHolders() {
            // A run within the grace period finds no secret written since this key was made, and refuses (plan.ts).
            if (graceSeconds === 0 || rotatedAt === undefined)
                return undefined;
            return `Unless a secret holds it, a run of the workflow before ${graceEnds()} refuses to rotate again, as it cannot tell this run's key from one another workflow's secrets hold: write new-api-key to the secrets in a following step, or run the workflow after then, when the old key has stopped working too.`;
        },
        currentKeyExpiration: () => currentKeyExpiration,
        recentRotation() {
            if (currentKeyCreated === undefined || graceSeconds === 0)
                return undefined;
            const graceEnds = currentKeyCreated + graceSeconds * 1000;
            return clock.now() < graceEnds ? { at: currentKeyCreated, graceEnds } : undefined;
        },
    };
}

;// CONCATENATED MODULE: ./src/rotate/index.ts
// Rotation, loaded only when rotate is true: it brings the GitHub client and
// libsodium, which a plain check never needs.









function strategy({ inputs, rotation, check, policy, runner, timings = clock_timings/* DEFAULT_TIMINGS */.k }) {
    const log = (line) => runner.info(line);
    if (inputs.api === 'graphql') {
        return graphqlRotation({
            api: { url: inputs.graphqlUrl, apiKey: inputs.apiKey, policy },
            actorId: check.actorId ?? '',
            serviceAccountId: rotation.serviceAccountId,
            keyName: rotation.keyName,
            newKeyExpiresInDays: rotation.newKeyExpiresInDays,
            oldKeyId: rotation.oldKeyId,
            graceSeconds: rotation.graceSeconds,
            log,
        });
    }
    if (!check.accountId || !check.workspaceId || !rotation.serviceAccountId) {
        throw new Error('REST rotation needs the workspace ids and service-account-id, which the inputs guarantee');
    }
    return restRotation({
        api: { base: inputs.apiBase, apiKey: inputs.apiKey, policy },
        accountId: check.accountId,
        workspaceId: check.workspaceId,
        botId: rotation.serviceAccountId,
        graceSeconds: rotation.graceSeconds,
        newKeyExpiresInDays: rotation.newKeyExpiresInDays,
        log,
        watch: { windowMs: timings.lostRotationWatchMs, lookMs: timings.lostRotationLookMs },
    });
}
/**
 * A cancelled job (or one past timeout-minutes) gets SIGINT, then SIGTERM
 * about 7.5 s later, then is killed. At the first signal the rotation starts
 * no further step: the request under way finishes, and the step reports what
 * holds what. At the second, the outputs (new-api-key among them) and an
 * annotation are written at once, and the step ends.
 */
function watchCancellation(runner, rotation) {
    let outcome;
    const state = {
        requested: false,
        track: (current) => {
            outcome = current;
        },
        stop: () => {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
        },
    };
    function onSignal(signal) {
        if (!state.requested) {
            state.requested = true;
            runner.warning(`${signal}: the job is being cancelled. The request under way finishes, no further step starts, and the step says what holds what.`, {
                title: 'Rotation cancelled',
            });
            return;
        }
        if (outcome)
            rotationOutputs(runner, outcome);
        const key = outcome?.newKeyLive
            ? ` The new key is in the masked new-api-key output; secret writes that finished: ${outcome.written.map(describeDestination).join(', ') || 'none'}.`
            : '';
        // No secret holds the new key: a rerun within the grace period may refuse, so the rotation says what to do.
        const next = outcome?.newKeyLive && outcome.written.length === 0 ? rotation.withoutHolders?.() : undefined;
        const message = `${signal} a second time: the step stops now.${key} The old key keeps working until its grace period ends (or until it is revoked)${next ? `. ${next}` : '; run the workflow again to finish.'}`;
        runner.error((0,safe_text/* annotationWithin */.lR)(message), { title: 'Rotation cancelled' });
        const end = () => process.exit(1);
        // A shortened annotation says the job summary has the rest: written before the step ends.
        if (message.length > safe_text/* MAX_ANNOTATION_LENGTH */.I1)
            void runner.appendSummary(`### Rotation cancelled\n\n- **${(0,safe_text/* mdText */.bC)(message, safe_text/* MAX_MESSAGE_LENGTH */.uv)}**`).then(end, end);
        else
            end();
    }
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return state;
}
/**
 * The key later steps may get: the rotated service account's only. The key
 * given as api-key is usually an account Admin's or Owner's, there to rotate
 * another account's key; handed to every later step of the job, third-party
 * actions included, it would deploy with an administrator's rights.
 */
function keyToHandOn({ inputs, rotation, check }, outcome) {
    if (outcome.rotated && outcome.newKey)
        return { keyToExport: outcome.newKey.value };
    // Cloud 1 says whose the key is (auth_info.user_id); rotating without service-account-id rotates that very account's key.
    const rotatedAccount = rotation.serviceAccountId ?? check.actorId;
    if (inputs.api === 'graphql' && check.actorId !== undefined && check.actorId === rotatedAccount)
        return { keyToExport: inputs.apiKey };
    const why = outcome.dryRun ? 'this was a dry run, so no new key was written' : 'no new key was written';
    const whose = inputs.api === 'graphql'
        ? `belongs to another account than service account ${rotatedAccount ?? ''}`
        : `is not known to be service account ${rotatedAccount ?? ''}'s own (Prefect Cloud's REST API does not say whose a key is)`;
    return {
        notExported: `${why}, and the key given as api-key ${whose}, so it is not handed to later steps: they should read the service account's key from secret ${rotation.secretName}.`,
    };
}
async function rotate(context) {
    const { inputs, rotation, policy, runner, timings = clock_timings/* DEFAULT_TIMINGS */.k } = context;
    // Warned in a dry run too: that is when the plan is read, before a rotation makes it true.
    if (inputs.api === 'rest' && rotation.graceSeconds === 0) {
        runner.warning(`old-key-grace-seconds is 0: the old key ${rotation.dryRun ? 'would stop' : 'stops'} working at the rotation, so if ${rotation.dryRun ? 'a real run' : 'this run'} dies before the secret is written, the new key is lost with no key left working.`, {
            title: 'No grace period for the old key',
        });
    }
    const octokit = githubClient({
        baseUrl: rotation.githubApi,
        token: rotation.githubToken,
        retries: inputs.retries,
        // The step's deadline itself: the writes extend it for GitHub's requests and for what Prefect is asked after them.
        deadline: policy.deadline,
        trace: (line) => runner.debug(line),
        log: (line) => runner.info(line),
        waits: { retryBaseMs: timings.githubRetryBaseMs, rateLimitBaseMs: timings.githubRateLimitBaseMs, writeSpacingMs: timings.writeSpacingMs },
    });
    const secrets = new SecretDestinations(octokit, policy.deadline, rotation.destinations, rotation.secretName, timings.writeMsPerDestination);
    const keyRotation = strategy(context);
    const cancellation = watchCancellation(runner, keyRotation);
    let outcome;
    try {
        outcome = await runRotation(keyRotation, secrets, {
            cancelled: () => cancellation.requested,
            onOutcome: (current) => cancellation.track(current),
            secretName: rotation.secretName,
            dryRun: rotation.dryRun,
            rotateIfExpiresWithinDays: rotation.rotateIfExpiresWithinDays,
            mask: (value) => runner.setSecret(value),
            log: (line) => runner.info(line),
            now: () => policy.clock.now(),
        });
    }
    finally {
        // A rotation run in-process (a test, or a throw) must not leave the process's signal handlers behind.
        cancellation.stop();
    }
    await reportRotation(runner, outcome, rotation.secretName);
    if (outcome.retirement?.warning)
        runner.warning(outcome.retirement.warning, { title: 'Old key not revoked' });
    if (!outcome.error)
        return { exitCode: 0, newKey: outcome.rotated ? outcome.newKey?.value : undefined, ...keyToHandOn(context, outcome) };
    // The summary (reportRotation) holds the whole message; the annotation, its first sentences.
    runner.error((0,safe_text/* annotationWithin */.lR)(outcome.error), { title: 'Prefect Cloud key rotation failed' });
    return { exitCode: 1 };
}


/***/ })

};
