export const id = 553;
export const ids = [553];
export const modules = {

/***/ 798:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bi: () => (/* binding */ sendGraphqlOnce),
/* harmony export */   Qf: () => (/* binding */ sendGraphql),
/* harmony export */   lj: () => (/* binding */ authInfo)
/* harmony export */ });
/* harmony import */ var _http_retry_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(620);
// Prefect Cloud 1's GraphQL API. Errors often come back with HTTP 200 in an
// `errors` array; a read is retried through transient ones, a mutation is
// sent once, because a repeat after an ambiguous failure could create twice.

/** Error codes that say the server failed, not the request: worth a retry for a read. */
const SERVER_CODES = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE', 'TIMEOUT']);
function problemOf(response) {
    let body;
    try {
        body = JSON.parse(response.body);
    }
    catch {
        body = undefined;
    }
    const first = body?.errors?.[0];
    if (first) {
        return {
            message: typeof first.message === 'string' ? first.message : 'GraphQL error',
            code: typeof first.extensions?.code === 'string' ? first.extensions.code : 'UNKNOWN',
        };
    }
    if (response.status === 401)
        return { message: 'HTTP 401', code: 'UNAUTHENTICATED' };
    if (response.status === 403)
        return { message: 'HTTP 403', code: 'FORBIDDEN' };
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
/** Who the key belongs to: `auth_info`. For a service-account key, user_id is the service account. */
function authInfo(api) {
    return sendGraphql(api, 'query { auth_info { user_id tenant_id } }');
}


/***/ }),

/***/ 553:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  rotate: () => (/* binding */ rotate)
});

// EXTERNAL MODULE: ./node_modules/libsodium-wrappers/dist/modules-esm/libsodium-wrappers.mjs + 1 modules
var libsodium_wrappers = __webpack_require__(768);
;// CONCATENATED MODULE: ./src/github/seal.ts
// GitHub's secret encryption: a libsodium sealed box against the
// destination's public key.

async function seal(value, publicKeyBase64) {
    await libsodium_wrappers/* default.ready */.Ay.ready;
    const publicKey = libsodium_wrappers/* default.from_base64 */.Ay.from_base64(publicKeyBase64, libsodium_wrappers/* default.base64_variants */.Ay.base64_variants.ORIGINAL);
    const box = libsodium_wrappers/* default */.Ay.crypto_box_seal(libsodium_wrappers/* default.from_string */.Ay.from_string(value), publicKey);
    return libsodium_wrappers/* default.to_base64 */.Ay.to_base64(box, libsodium_wrappers/* default.base64_variants */.Ay.base64_variants.ORIGINAL);
}

// EXTERNAL MODULE: ./src/http/retry.ts + 1 modules
var retry = __webpack_require__(620);
;// CONCATENATED MODULE: ./src/github/secrets.ts
// GitHub's Actions secrets API: public keys, organisation secret settings,
// and writing a sealed value. Every failure names what the token needs.

/** GitHub refused: the message says what to change. */
class GithubError extends Error {
    name = 'GithubError';
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
function describeDestination(destination) {
    if (destination.kind === 'repo')
        return `repository ${destination.repo}`;
    if (destination.kind === 'environment')
        return `environment ${destination.environment} of ${destination.repo}`;
    return `organization ${destination.org}`;
}
function secretsPath(destination) {
    if (destination.kind === 'repo')
        return `/repos/${destination.repo}/actions/secrets`;
    if (destination.kind === 'environment')
        return `/repos/${destination.repo}/environments/${encodeURIComponent(destination.environment)}/secrets`;
    return `/orgs/${destination.org}/actions/secrets`;
}
function permissionNeeded(destination) {
    return destination.kind === 'org'
        ? 'the organization permission "Secrets: Read and write" (a GitHub App: organization_secrets: write)'
        : 'the repository permission "Secrets: Read and write" (a GitHub App: secrets: write)';
}
/** GitHub's own words, as ` (HTTP 403: message)`, or just the status. */
function statusText(response) {
    try {
        const message = JSON.parse(response.body).message;
        if (typeof message === 'string')
            return `HTTP ${response.status}: ${message}`;
    }
    catch {
        // not JSON: the status says enough
    }
    return `HTTP ${response.status}`;
}
/** Rate limits arrive as 403 or 429 with Retry-After or an exhausted quota: wait, not fail. */
function rateLimitWait(response, now) {
    if (response.status !== 403 && response.status !== 429)
        return undefined;
    const retryAfter = (0,retry/* retryAfterMs */.Vs)(response.headers['retry-after'], now);
    if (retryAfter !== undefined)
        return retryAfter;
    if (response.headers['x-ratelimit-remaining'] !== '0')
        return undefined;
    const reset = Number(response.headers['x-ratelimit-reset']);
    return Number.isFinite(reset) ? Math.max(0, reset * 1000 - now) : undefined;
}
function refusal(response, destination, what) {
    const where = describeDestination(destination);
    const said = statusText(response);
    const { status } = response;
    if (status === 401)
        return new GithubError(`GitHub rejected github-token (${said}): it is wrong or expired.`, status);
    if (status === 403) {
        return new GithubError(`github-token may not ${what} of ${where} (${said}). It needs ${permissionNeeded(destination)}; the workflow's GITHUB_TOKEN cannot write secrets, so use a fine-grained personal access token or a GitHub App token.`, status);
    }
    if (status === 404)
        return new GithubError(`GitHub does not know ${where}, or github-token cannot see it (${said}).`, status);
    return new GithubError(`GitHub answered ${said} when asked to ${what} of ${where}.`, status);
}
function call(api, method, path, body, accept) {
    const url = new URL(`${api.base.href}${path}`);
    const headers = {
        authorization: `Bearer ${api.token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'prefect-cloud-key-action',
    };
    if (body !== undefined)
        headers['content-type'] = 'application/json';
    const request = { method, url, headers, body: body === undefined ? undefined : JSON.stringify(body) };
    return (0,retry/* sendWithRetries */.HI)(api.policy, request, (response) => {
        const wait = rateLimitWait(response, api.policy.now());
        if (wait !== undefined)
            throw new retry/* TransientAnswerError */.ZB(`GitHub rate limit (HTTP ${response.status})`, wait);
        return accept(response);
    });
}
function parsed(response) {
    try {
        const value = JSON.parse(response.body);
        if (typeof value === 'object' && value !== null)
            return value;
    }
    catch {
        // fall through
    }
    throw new retry/* TransientAnswerError */.ZB(`HTTP ${response.status} with a body that is not a JSON object`);
}
function publicKey(api, destination) {
    return call(api, 'GET', `${secretsPath(destination)}/public-key`, undefined, (response) => {
        if (response.status !== 200)
            throw refusal(response, destination, 'read the secrets public key');
        const body = parsed(response);
        if (typeof body.key_id !== 'string' || typeof body.key !== 'string')
            throw new retry/* TransientAnswerError */.ZB('a public key answer without key_id and key');
        return { keyId: body.key_id, key: body.key };
    });
}
/** An organisation secret's visibility (and its repositories when `selected`), to keep them when it is written. */
async function orgSecretSettings(api, org, name) {
    const destination = { kind: 'org', org };
    const path = `${secretsPath(destination)}/${name}`;
    const visibility = await call(api, 'GET', path, undefined, (response) => {
        if (response.status === 404) {
            throw new GithubError(`Organization secret ${name} does not exist in ${org}, or github-token cannot see it. Create it once with the visibility it should have; rotation keeps that visibility.`);
        }
        if (response.status !== 200)
            throw refusal(response, destination, 'read the secret settings');
        const value = parsed(response).visibility;
        if (typeof value !== 'string')
            throw new retry/* TransientAnswerError */.ZB('an organization secret without visibility');
        return value;
    });
    if (visibility !== 'selected')
        return { visibility };
    const selectedRepositoryIds = [];
    for (let page = 1;; page += 1) {
        const { ids, total } = await call(api, 'GET', `${path}/repositories?per_page=100&page=${page}`, undefined, (response) => {
            if (response.status !== 200)
                throw refusal(response, destination, 'read the selected repositories');
            const body = parsed(response);
            if (!Array.isArray(body.repositories))
                throw new retry/* TransientAnswerError */.ZB('a repository list without repositories');
            return { ids: body.repositories.map((repository) => Number(repository.id)), total: Number(body.total_count) };
        });
        selectedRepositoryIds.push(...ids);
        // Every selected repository must be kept: writing a shorter list would drop the rest.
        if (ids.length === 0 || !(selectedRepositoryIds.length < total))
            break;
    }
    return { visibility, selectedRepositoryIds };
}
/** PUT the sealed value: 201 created, 204 updated. */
function putSecret(api, write) {
    const body = { encrypted_value: write.encryptedValue, key_id: write.keyId };
    if (write.org) {
        body.visibility = write.org.visibility;
        if (write.org.selectedRepositoryIds)
            body.selected_repository_ids = write.org.selectedRepositoryIds;
    }
    return call(api, 'PUT', `${secretsPath(write.destination)}/${write.name}`, body, (response) => {
        if (response.status !== 201 && response.status !== 204)
            throw refusal(response, write.destination, `write secret ${write.name}`);
    });
}

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
/** An error's message without its closing period: it is quoted inside a sentence. */
function reasonOf(error) {
    return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}
async function runRotation(rotation, secrets, options) {
    const outcome = { dryRun: options.dryRun, rotated: false, newKeyLive: false, written: [], failed: [], steps: [] };
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
    if (options.dryRun) {
        step(`Dry run: would ${rotation.describe()}, write secret ${options.secretName} to ${where}, then retire the old key. Nothing was changed.`);
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
    const undo = async (why) => {
        if (await rotation.rollback(key).catch(() => false)) {
            outcome.newKeyLive = false;
            step(`Deleted the new key again: ${why}`);
            outcome.error = `${why} The new key was deleted again; the old key and the secrets are as they were.`;
            return;
        }
        outcome.error = `${why} The new key is in this step's masked new-api-key output for a following step; ${rotation.oldKeyStanding()} Run the workflow again to finish.`;
    };
    try {
        await rotation.verify(key);
    }
    catch (error) {
        await undo(`The new key did not pass the check: ${reasonOf(error)}.`);
        return outcome;
    }
    step('The new key passed the check.');
    const results = await secrets.write(options.secretName, key.value);
    outcome.written = results.written;
    outcome.failed = results.failed;
    for (const destination of results.written)
        step(`Wrote secret ${options.secretName} to ${describeDestination(destination)}.`);
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
            outcome.error = `Secret ${options.secretName} ${held}.${maybe} Both keys stay live: the new one is in this step's masked new-api-key output; ${rotation.oldKeyStanding()} Run the workflow again to finish.`;
        }
        return outcome;
    }
    outcome.rotated = true;
    outcome.retirement = await rotation.retire(key);
    step(outcome.retirement.detail);
    if (outcome.retirement.failure)
        outcome.error = outcome.retirement.failure;
    return outcome;
}

;// CONCATENATED MODULE: ./src/rotate/destinations.ts
// The GitHub secrets that receive the new key: read before anything changes
// (a token that cannot use them fails there), written all at once after.




class SecretDestinations {
    destinations;
    api;
    secretName;
    prepared = [];
    constructor(api, destinations, secretName) {
        this.api = api;
        this.destinations = destinations;
        this.secretName = secretName;
    }
    async prepare(destination) {
        const [key, org] = await Promise.all([
            publicKey(this.api, destination),
            destination.kind === 'org' ? orgSecretSettings(this.api, destination.org, this.secretName) : undefined,
        ]);
        return { destination, key, org };
    }
    /** Every destination's public key (and an organization secret's visibility), concurrently. */
    async preflight() {
        this.prepared = await Promise.all(this.destinations.map((destination) => this.prepare(destination)));
    }
    async writeOne(prepared, name, value) {
        const put = async (key) => putSecret(this.api, { destination: prepared.destination, name, encryptedValue: await seal(value, key.key), keyId: key.keyId, org: prepared.org });
        try {
            await put(prepared.key);
        }
        catch (error) {
            // 422: the destination's public key changed since pre-flight; seal again once.
            if (!(error instanceof GithubError && error.status === 422))
                throw error;
            await put(await publicKey(this.api, prepared.destination));
        }
    }
    async write(name, value) {
        const settled = await Promise.allSettled(this.prepared.map((prepared) => this.writeOne(prepared, name, value)));
        const results = { written: [], failed: [] };
        settled.forEach((result, index) => {
            const { destination } = this.prepared[index];
            if (result.status === 'fulfilled')
                results.written.push(destination);
            else {
                const error = result.reason;
                results.failed.push({
                    destination,
                    reason: reasonOf(error),
                    mayHaveLanded: error instanceof retry/* UnavailableError */.hG && error.lastStatus === undefined,
                });
            }
        });
        return results;
    }
}

// EXTERNAL MODULE: ./src/prefect/graphql.ts
var graphql = __webpack_require__(798);
;// CONCATENATED MODULE: ./src/prefect/cloud1-keys.ts
// Prefect Cloud 1 API keys: list (metadata only, never values), create, delete.

const LIST = 'query { auth_api_key { id name created expires_at user_id } }';
const CREATE = 'mutation ($input: create_api_key_input!) { create_api_key(input: $input) { id key } }';
const DELETE = 'mutation ($input: delete_api_key_input!) { delete_api_key(input: $input) { success } }';
/** For a service-account key: the metadata of every service-account key of the tenant. */
function listKeys(api) {
    return (0,graphql/* sendGraphql */.Qf)(api, LIST);
}
/** Sent once: see sendGraphqlOnce. */
function createKey(api, input) {
    return (0,graphql/* sendGraphqlOnce */.Bi)(api, CREATE, { input });
}
/** Deleting twice is harmless, so this is retried; success false means the key was not there. */
function deleteKey(api, keyId) {
    return (0,graphql/* sendGraphql */.Qf)(api, DELETE, { input: { key_id: keyId } });
}

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
    const prefix = `${keyName}-`;
    // Looking, undoing and revoking must get their chance even when the deadline is near.
    const cleanupApi = () => ({ ...api, policy: (0,retry/* cleanupPolicy */.b9)(api.policy) });
    async function serviceAccountKeys(from) {
        const answer = await listKeys(from);
        if (answer.problem) {
            throw new RotationError(`Prefect Cloud 1 would not list API keys (${answer.problem.code}: ${answer.problem.message}); listing needs the Administrator role, which service accounts have`);
        }
        return answer.data.auth_api_key.filter((key) => key.user_id === serviceAccount);
    }
    async function remove(keyId, as = cleanupApi()) {
        const answer = await deleteKey(as, keyId);
        return !answer.problem;
    }
    return {
        describe: () => `create a key named ${prefix}<UTC time> for service account ${serviceAccount} through the Prefect Cloud 1 GraphQL API, then delete ${oldKeyId ? `key ${oldKeyId} and ` : ''}older keys named ${prefix}*${graceSeconds ? ` created more than ${graceSeconds} s before it` : ''}`,
        async preflight() {
            const keys = await serviceAccountKeys(api);
            // An earlier run revoked it already: the same workflow runs on every schedule, so this is no error.
            if (oldKeyId && !keys.some((key) => key.id === oldKeyId))
                settings.log(`old-key-id ${oldKeyId} is not a live key of service account ${serviceAccount}: nothing to revoke there.`);
        },
        async create(mask) {
            const name = `${prefix}${keyStamp(new Date())}`;
            const input = { user_id: serviceAccount, name, expires_at: expiryFromDays(settings.keyExpiresInDays, Date.now()) };
            for (let attempt = 0;; attempt += 1) {
                let answer;
                try {
                    answer = await createKey(api, input);
                }
                catch (error) {
                    if (!(error instanceof retry/* AmbiguousOutcomeError */.fH))
                        throw error;
                    // Look before trying again: a key created without its answer is useless (its value is gone), so delete it.
                    const unknown = `creating the key did not answer (${error.message}); if key ${name} was created, the next run deletes it, as its name starts with ${prefix}`;
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
            const newCreated = Date.parse(keys.find((candidate) => candidate.id === key.id)?.created ?? '') || Date.now();
            const candidates = keys.filter((candidate) => candidate.id !== key.id && (candidate.id === oldKeyId || candidate.name.startsWith(prefix)));
            if (candidates.length === 0) {
                const detail = `No old key to revoke: none is named ${prefix}* and old-key-id was not given.`;
                return { revoked: false, detail, warning: `${detail} A key this action did not create stays live until it is deleted: give its id as old-key-id.` };
            }
            const due = candidates.filter((candidate) => newCreated - Date.parse(candidate.created) >= graceSeconds * 1000);
            const kept = candidates.filter((candidate) => !due.includes(candidate));
            const results = await Promise.all(due.map((candidate) => remove(candidate.id, asNewKey).catch(() => false)));
            const failed = due.filter((_, index) => !results[index]);
            const revokedIds = due.filter((_, index) => results[index]).map((candidate) => candidate.id);
            const parts = [revokedIds.length > 0 ? `Revoked old key ${revokedIds.join(', ')}.` : 'Revoked no old key.'];
            if (kept.length > 0)
                parts.push(`Kept ${kept.map((candidate) => candidate.id).join(', ')}: younger than old-key-grace-seconds (${graceSeconds} s), for a later run to revoke.`);
            const failure = failed.length > 0
                ? `The secrets hold the new key, but old key ${failed.map((candidate) => candidate.id).join(', ')} could not be revoked. Run the workflow again, or delete it in Prefect Cloud 1.`
                : undefined;
            return { revoked: failed.length === 0 && kept.length === 0, detail: parts.join(' '), failure };
        },
        oldKeyStanding: () => 'the old key still works.',
    };
}

;// CONCATENATED MODULE: ./src/rotate/report.ts
// The rotation's outputs and its part of the job summary.

function verdict(outcome) {
    if (outcome.error)
        return '❌ failed';
    if (outcome.dryRun)
        return '🧪 dry run, nothing changed';
    return '🔁 done';
}
function reportRotation(out, outcome, secretName) {
    const live = outcome.newKeyLive ? outcome.newKey : undefined;
    out.setOutputs({
        rotated: String(outcome.rotated),
        'new-key-id': live?.id ?? '',
        'new-key-expires-at': live?.expiresAt ?? '',
        'secret-updated': String(outcome.written.length > 0 && outcome.failed.length === 0),
        'old-key-revoked': String(outcome.retirement?.revoked ?? false),
        'old-key-expires-at': outcome.retirement?.expiresAt ?? '',
    });
    if (live)
        out.setSecretOutput('new-api-key', live.value);
    const lines = [`### Key rotation: ${verdict(outcome)}`, '', ...outcome.steps.map((step) => `- ${step}`)];
    if (outcome.error)
        lines.push(`- **${outcome.error}**`);
    if (outcome.written.length + outcome.failed.length > 0) {
        lines.push('', `| Secret ${secretName} in | Written |`, '| --- | --- |');
        for (const destination of outcome.written)
            lines.push(`| ${describeDestination(destination)} | ✅ |`);
        for (const { destination } of outcome.failed)
            lines.push(`| ${describeDestination(destination)} | ❌ |`);
    }
    out.appendSummary(lines.join('\n'));
}

// EXTERNAL MODULE: ./src/prefect/rest.ts
var rest = __webpack_require__(273);
;// CONCATENATED MODULE: ./src/prefect/bots.ts
// Prefect Cloud's service accounts ("bots") over REST: read one, and rotate
// its key. A rotation is sent once: after an ambiguous failure the caller
// reads the bot to learn whether it happened.


/** Prefect Cloud refused the call: the message says why and what to do. */
class BotRefusal extends Error {
    name = 'BotRefusal';
}
function detailOf(response) {
    try {
        const detail = JSON.parse(response.body).detail;
        if (typeof detail === 'string')
            return detail;
        if (detail !== undefined)
            return JSON.stringify(detail);
    }
    catch {
        // not JSON
    }
    return `HTTP ${response.status}`;
}
function bots_refusal(response, botId, what) {
    const detail = detailOf(response);
    if (response.status === 401)
        return new BotRefusal(`Prefect Cloud rejected the API key when asked to ${what} (HTTP 401: ${detail}).`);
    if (response.status === 403) {
        return new BotRefusal(`The API key may not ${what} (HTTP 403: ${detail}): it needs an account role that may manage service accounts, such as Owner or Admin.`);
    }
    if (response.status === 404)
        return new BotRefusal(`Service account ${botId} was not found in the account (HTTP 404: ${detail}): check service-account-id.`);
    return new BotRefusal(`Prefect Cloud answered HTTP ${response.status} (${detail}) when asked to ${what}.`);
}
function readBot(api, accountId, botId) {
    return (0,rest/* get */.Jt)(api, `/accounts/${accountId}/bots/${botId}`, (response) => {
        if (response.status !== 200)
            throw bots_refusal(response, botId, `read service account ${botId}`);
        const body = (0,rest/* parseJson */.qF)(response);
        if (typeof body !== 'object' || body === null || typeof body.id !== 'string') {
            throw new retry/* TransientAnswerError */.ZB('HTTP 200 with a body that is not a service account');
        }
        return {
            id: body.id,
            name: typeof body.name === 'string' ? body.name : body.id,
            keyId: typeof body.api_key?.id === 'string' ? body.api_key.id : undefined,
        };
    });
}
/**
 * POST /bots/{id}/rotate_api_key, once (see sendOnce): 201 carries the only
 * copy of the new key. A failure short of an answer throws AmbiguousOutcomeError.
 */
function rotateBotKey(api, request) {
    const url = new URL(`${api.base.href}/accounts/${request.accountId}/bots/${request.botId}/rotate_api_key`);
    const body = JSON.stringify({ api_key_expiration: request.expiration, old_key_expires_in_seconds: request.oldKeyExpiresInSeconds });
    const headers = { authorization: `Bearer ${api.apiKey}`, accept: 'application/json', 'content-type': 'application/json' };
    return (0,retry/* sendOnce */.E4)(api.policy, { method: 'POST', url, headers, body }, (response) => {
        if (response.status !== 201 && response.status !== 200)
            throw bots_refusal(response, request.botId, `rotate the key of service account ${request.botId}`);
        const key = (0,rest/* parseJson */.qF)(response).api_key;
        if (typeof key?.id !== 'string' || typeof key.key !== 'string') {
            throw new retry/* TransientAnswerError */.ZB(`HTTP ${response.status} without the new key in the body`);
        }
        return { id: key.id, value: key.key, expiration: typeof key.expiration === 'string' ? key.expiration : null };
    });
}

;// CONCATENATED MODULE: ./src/rotate/rest-rotation.ts
// Rotation through today's REST API: rotate_api_key replaces the key in one
// call and keeps the old one working for a grace period. It cannot be undone.




function restRotation(settings) {
    const { api, accountId, workspaceId, botId, graceSeconds } = settings;
    let botName = botId;
    let currentKeyId;
    let rotatedAt;
    const STOPPED = 'the old key stopped working at the rotation (old-key-grace-seconds: 0).';
    const graceEnds = () => new Date((rotatedAt ?? Date.now()) + graceSeconds * 1000).toISOString();
    const standing = () => {
        if (rotatedAt === undefined)
            return 'the old key still works.';
        if (graceSeconds === 0)
            return STOPPED;
        return `the old key keeps working until ${graceEnds()}.`;
    };
    return {
        describe: () => `rotate the key of service account ${botName} (${botId}) through the REST API, the old key ${graceSeconds === 0 ? 'stopping at once' : `working ${graceSeconds} s more`}`,
        async preflight() {
            const bot = await readBot(api, accountId, botId);
            botName = bot.name;
            currentKeyId = bot.keyId;
        },
        async create(mask) {
            const request = { accountId, botId, expiration: expiryFromDays(settings.keyExpiresInDays, Date.now()), oldKeyExpiresInSeconds: graceSeconds || null };
            for (let attempt = 0;; attempt += 1) {
                try {
                    const key = await rotateBotKey(api, request);
                    mask(key.value);
                    rotatedAt = Date.now();
                    return { id: key.id, value: key.value, expiresAt: key.expiration };
                }
                catch (error) {
                    if (!(error instanceof retry/* AmbiguousOutcomeError */.fH))
                        throw error;
                    // Look before trying again: did the lost answer carry a rotation?
                    const bot = await readBot({ ...api, policy: (0,retry/* cleanupPolicy */.b9)(api.policy) }, accountId, botId);
                    if (bot.keyId !== currentKeyId) {
                        settings.log(`The rotation happened but its answer was lost (${error.message}); rotating again so that the new key is known.`);
                        currentKeyId = bot.keyId;
                        rotatedAt = Date.now();
                    }
                    if (attempt >= api.policy.retries || !(await (0,retry/* pause */.v7)(api.policy, attempt, error.retryAfterMs))) {
                        throw new RotationError(`the rotation did not answer (${error.message}); ${standing()}`);
                    }
                }
            }
        },
        async verify(key) {
            const path = `/accounts/${accountId}/workspaces/${workspaceId}/health`;
            const status = await (0,rest/* get */.Jt)({ ...api, apiKey: key.value }, path, (response) => {
                // A key may take a moment to be known everywhere: a 401 is retried here.
                if (response.status === 401)
                    throw new retry/* TransientAnswerError */.ZB('the new key is not accepted yet (HTTP 401)', 1000);
                return response.status;
            });
            if (status !== 200)
                throw new RotationError(`the workspace's health check answered HTTP ${status} to the new key`);
        },
        rollback: async () => false,
        async retire() {
            if (graceSeconds === 0)
                return { revoked: true, detail: `The old key: ${STOPPED}` };
            const expiresAt = graceEnds();
            return { revoked: false, expiresAt, detail: `The old key keeps working until ${expiresAt}; then Prefect Cloud retires it.` };
        },
        oldKeyStanding: standing,
    };
}

;// CONCATENATED MODULE: ./src/rotate/index.ts
// Rotation, loaded only when rotate is true: it brings the GitHub client and
// libsodium, which a plain check never needs.





function strategy({ inputs, rotation, check, policy, runner }) {
    const log = (line) => runner.info(line);
    if (inputs.api === 'graphql') {
        return graphqlRotation({
            api: { url: inputs.graphqlUrl, apiKey: inputs.apiKey, policy },
            actorId: check.actorId ?? '',
            serviceAccountId: rotation.serviceAccountId,
            keyName: rotation.keyName,
            keyExpiresInDays: rotation.keyExpiresInDays,
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
        keyExpiresInDays: rotation.keyExpiresInDays,
        log,
    });
}
/** Returns the step's exit code. */
async function rotate(context) {
    const { inputs, rotation, policy, runner } = context;
    if (inputs.api === 'rest' && rotation.graceSeconds === 0 && !rotation.dryRun) {
        runner.warning('old-key-grace-seconds is 0: the old key stops working at the rotation, so if this run dies before the secret is written, the new key is lost with no key left working.', {
            title: 'No grace period for the old key',
        });
    }
    const secrets = new SecretDestinations({ base: rotation.githubApi, token: rotation.githubToken, policy }, rotation.destinations, rotation.secretName);
    const outcome = await runRotation(strategy(context), secrets, {
        secretName: rotation.secretName,
        dryRun: rotation.dryRun,
        mask: (value) => runner.setSecret(value),
        log: (line) => runner.info(line),
    });
    reportRotation(runner, outcome, rotation.secretName);
    if (outcome.retirement?.warning)
        runner.warning(outcome.retirement.warning, { title: 'Old key not revoked' });
    if (!outcome.error)
        return 0;
    runner.error(outcome.error, { title: 'Prefect Cloud key rotation failed' });
    return 1;
}


/***/ })

};
