export const id = 494;
export const ids = [494];
export const modules = {

/***/ 4494:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checkCloud1Key: () => (/* binding */ checkCloud1Key)
/* harmony export */ });
/* harmony import */ var _display_url_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3913);
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2305);
/* harmony import */ var _check_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(4995);
/* harmony import */ var _cloud1_keys_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1908);
/* harmony import */ var _expiry_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7248);
/* harmony import */ var _graphql_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7798);
/* harmony import */ var _values_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5697);
/* harmony import */ var _safe_text_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(1452);
// Checking a Prefect Cloud 1 key: today's REST API does not know such keys,
// so the GraphQL endpoint says who the key is. A named workspace is still
// asked through /health.








/** Cloud 1 lists an actor's keys (auth_api_key) but not which one is asking: the expiry is known when the actor has exactly one. */
async function cloud1Expiry(graphql, actorId) {
    try {
        const answer = await (0,_cloud1_keys_js__WEBPACK_IMPORTED_MODULE_3__/* .listKeys */ .TH)(graphql);
        if (answer.problem)
            return { kind: 'unknown', why: `Prefect Cloud 1 would not list the keys (${answer.problem.code})` };
        const own = answer.data.auth_api_key.filter((key) => key.user_id === actorId);
        if (own.length !== 1)
            return { kind: 'unknown', why: `the key's account has ${own.length} keys, and Prefect Cloud 1 does not say which one this is` };
        return (0,_expiry_js__WEBPACK_IMPORTED_MODULE_4__/* .expiryOf */ .p1)(own[0].expires_at);
    }
    catch (error) {
        if (error instanceof _http_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .UnavailableError */ .hG || error instanceof _values_js__WEBPACK_IMPORTED_MODULE_6__/* .UnexpectedAnswerError */ .qx)
            return { kind: 'unknown', why: `its expiry could not be read (${error.message})` };
        throw error;
    }
}
/** The longest server text an annotation quotes: the check's annotation stays within 400 characters; the whole text goes to the summary. */
const QUOTED_IN_MESSAGE = 100;
/** What Prefect Cloud 1 said, cut for the annotation, and in full for the summary's detail. */
function said(text) {
    const short = (0,_safe_text_js__WEBPACK_IMPORTED_MODULE_7__/* .bounded */ .Mm)(text, QUOTED_IN_MESSAGE);
    return short === text ? { short } : { short, detail: `Prefect Cloud 1 said: ${text}` };
}
async function checkCloud1Key(graphql, rest, target) {
    let answer;
    try {
        answer = await (0,_graphql_js__WEBPACK_IMPORTED_MODULE_5__/* .authInfo */ .lj)(graphql);
    }
    catch (error) {
        if (error instanceof _values_js__WEBPACK_IMPORTED_MODULE_6__/* .UnexpectedAnswerError */ .qx) {
            return {
                status: 'unexpected',
                statusCode: 200,
                message: `Prefect Cloud 1 answered the key check with a value it does not send: ${error.message}. Check that graphql-url (${(0,_display_url_js__WEBPACK_IMPORTED_MODULE_0__/* .displayUrl */ .Q)(graphql.url) ?? 'as given'}) is the Prefect Cloud 1 API.`,
            };
        }
        if (!(error instanceof _http_retry_js__WEBPACK_IMPORTED_MODULE_1__/* .UnavailableError */ .hG))
            throw error;
        return (0,_check_js__WEBPACK_IMPORTED_MODULE_2__/* .unavailable */ .hU)(`Prefect Cloud 1 at ${graphql.url.host}`, error);
    }
    if (answer.problem?.code === _graphql_js__WEBPACK_IMPORTED_MODULE_5__/* .NOT_PREFECT */ .G9) {
        return {
            status: 'unexpected',
            statusCode: Number(answer.problem.message.replace('HTTP ', '')) || undefined,
            message: `Something between the runner and Prefect Cloud 1 (a proxy or a firewall) answered ${answer.problem.message} with a page that is not Prefect's answer: this says nothing about the key. Check the runner's proxy (HTTPS_PROXY) and firewall, and that graphql-url (${(0,_display_url_js__WEBPACK_IMPORTED_MODULE_0__/* .displayUrl */ .Q)(graphql.url) ?? 'as given'}) is the Prefect Cloud 1 API.`,
        };
    }
    if (answer.problem?.code === 'UNAUTHENTICATED') {
        const { short, detail } = said(answer.problem.message);
        return {
            status: 'invalid-key',
            statusCode: 200,
            message: `Prefect Cloud 1 rejected the API key (${short}): it is wrong, expired or deleted. Create a new key and update the secret that holds it.`,
            ...(detail ? { detail } : {}),
        };
    }
    if (answer.problem?.code === 'FORBIDDEN') {
        const { short, detail } = said(answer.problem.message);
        return {
            status: 'forbidden',
            statusCode: 200,
            message: `Prefect Cloud 1 accepted the key but refused to say who it is (${short}).`,
            ...(detail ? { detail } : {}),
        };
    }
    const info = answer.data?.auth_info;
    if (!info) {
        const { short, detail } = said(answer.problem ? `${answer.problem.code}: ${answer.problem.message}` : 'no auth_info');
        return {
            status: 'unexpected',
            statusCode: 200,
            message: `Prefect Cloud 1 answered the key check with ${short}: check that graphql-url (${(0,_display_url_js__WEBPACK_IMPORTED_MODULE_0__/* .displayUrl */ .Q)(graphql.url) ?? 'as given'}) is the Prefect Cloud 1 API.`,
            ...(detail ? { detail } : {}),
        };
    }
    if (info.tenant_id === null) {
        // As Prefect's own 1.x client reads it: no tenant means an old API token was given where a key belongs.
        return {
            status: 'invalid-key',
            statusCode: 200,
            message: 'Prefect Cloud 1 says this is an old API token, not an API key (auth_info has no tenant_id): create an API key and update the secret that holds it.',
        };
    }
    const valid = {
        status: 'valid',
        statusCode: 200,
        actorId: info.user_id,
        expiry: await cloud1Expiry(graphql, info.user_id),
        message: `The API key is valid on Prefect Cloud 1 (tenant ${info.tenant_id}).`,
    };
    if (target.kind === 'none')
        return valid;
    const workspace = await (0,_check_js__WEBPACK_IMPORTED_MODULE_2__/* .checkKey */ .yR)(rest, target);
    return workspace.status === 'valid' ? { ...workspace, actorId: info.user_id } : workspace;
}


/***/ }),

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


/***/ })

};
