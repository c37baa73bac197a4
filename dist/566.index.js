export const id = 566;
export const ids = [566];
export const modules = {

/***/ 7566:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DEFAULT_GITHUB_API_URL: () => (/* binding */ DEFAULT_GITHUB_API_URL),
/* harmony export */   MAX_GRACE_SECONDS: () => (/* binding */ MAX_GRACE_SECONDS),
/* harmony export */   parseRotationInputs: () => (/* binding */ parseRotationInputs)
/* harmony export */ });
/* harmony import */ var _inputs_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8422);
/* harmony import */ var _safe_text_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1452);
// The rotation's inputs, checked before anything is sent.


const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
const MAX_GRACE_SECONDS = 172_800;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ORGANIZATION = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
// What GitHub accepts (up to 255 characters, `/` among them: it is sent encoded), less control
// and line-separator characters (isPrintableLine), and not `.` or `..`, which a path segment cannot carry.
const ENVIRONMENT = /^(?!\.{1,2}$).{1,255}$/;
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_REPOSITORIES = 100;
function parseSecretName(value) {
    if (value === '')
        throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('Input secret-name is required with rotate: true: name the GitHub secret that receives the new key.');
    if (!SECRET_NAME.test(value) || /^GITHUB_/i.test(value)) {
        throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input secret-name must be letters, digits and underscores, not start with a digit or GITHUB_, got ${(0,_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .shortQuotedInput */ .Ti)(value)}.`);
    }
    return value;
}
function parseRepositories(value, readEnv) {
    const listed = value
        .split(/[,\n]/)
        .map((entry) => entry.trim())
        .filter(Boolean);
    const repositories = listed.length > 0 ? listed : [readEnv('GITHUB_REPOSITORY') ?? ''].filter(Boolean);
    if (repositories.length === 0) {
        throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('Input secret-repositories is required here: GITHUB_REPOSITORY is not set, so there is no current repository.');
    }
    if (repositories.length > MAX_REPOSITORIES)
        throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input secret-repositories lists ${repositories.length} repositories; at most ${MAX_REPOSITORIES} are accepted.`);
    for (const repository of repositories) {
        if (!REPOSITORY.test(repository) || repository.endsWith('/.') || repository.endsWith('/..')) {
            throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input secret-repositories must list owner/repo names, separated by commas or lines, got ${(0,_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .shortQuotedInput */ .Ti)(repository)}.`);
        }
    }
    return [...new Set(repositories)];
}
function parseDestinations(read, readEnv) {
    const repositoriesText = read('secret-repositories');
    const environment = read('secret-environment');
    const organization = read('secret-organization');
    if (organization) {
        if (environment || repositoriesText) {
            throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('Input secret-organization writes an organization secret: leave secret-repositories and secret-environment empty with it.');
        }
        if (!ORGANIZATION.test(organization))
            throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input secret-organization must be a GitHub organization name, got ${(0,_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .shortQuotedInput */ .Ti)(organization)}.`);
        return [{ kind: 'org', org: organization }];
    }
    const repositories = parseRepositories(repositoriesText, readEnv);
    if (!environment)
        return repositories.map((repo) => ({ kind: 'repo', repo }));
    if (!ENVIRONMENT.test(environment) || !(0,_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .isPrintableLine */ .Q2)(environment)) {
        throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input secret-environment must be an environment name (1 to 255 characters without control characters, not . or ..), got ${(0,_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .shortQuotedInput */ .Ti)(environment)}.`);
    }
    return repositories.map((repo) => ({ kind: 'environment', repo, environment }));
}
function optionalDays(read, name) {
    const text = (0,_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .readBounded */ .CB)(read, name);
    return text === '' ? undefined : (0,_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .parseNumber */ .$J)(name, text, 0, { min: 1, max: 3650, integer: true });
}
function parseRotationInputs(read, readEnv, check) {
    const serviceAccountText = read('service-account-id');
    const oldKeyText = read('old-key-id');
    const keyName = read('key-name') || 'github-actions';
    const expiresText = read('new-key-expires-in-days');
    const githubToken = (0,_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .readBounded */ .CB)(read, 'github-token');
    const githubApiText = readEnv('GITHUB_API_URL') ?? '';
    if (!KEY_NAME.test(keyName)) {
        throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`Input key-name must be 1 to 64 letters, digits, . _ or -, starting with a letter or digit, got ${(0,_safe_text_js__WEBPACK_IMPORTED_MODULE_1__/* .shortQuotedInput */ .Ti)(keyName)}.`);
    }
    if (check.api === 'rest') {
        if (!serviceAccountText)
            throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('Input service-account-id is required to rotate through the REST API: the id of the service account whose key is rotated.');
        if (check.workspace.kind === 'none') {
            throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('Rotating through the REST API needs the account: name the workspace with api-url (a workspace URL), or workspace (and account).');
        }
        if (oldKeyText)
            throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('Input old-key-id applies to prefect-api graphql only: the REST API retires the old key itself, after old-key-grace-seconds.');
    }
    if (!githubToken) {
        throw new _inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('Input github-token is required with rotate: true: a fine-grained personal access token or GitHub App token that may write the secret.');
    }
    (0,_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .parseToken */ .pI)('github-token', githubToken);
    return {
        serviceAccountId: serviceAccountText ? (0,_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .parseUuid */ .Xw)('service-account-id', serviceAccountText) : undefined,
        keyName,
        newKeyExpiresInDays: expiresText === '' ? undefined : (0,_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .parseNumber */ .$J)('new-key-expires-in-days', expiresText, 0, { min: 1, max: 3650, integer: true }),
        oldKeyId: oldKeyText ? (0,_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .parseUuid */ .Xw)('old-key-id', oldKeyText) : undefined,
        graceSeconds: (0,_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .parseNumber */ .$J)('old-key-grace-seconds', read('old-key-grace-seconds'), 3600, { min: 0, max: MAX_GRACE_SECONDS, integer: true }),
        githubToken,
        githubApi: (0,_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .parseServiceUrl */ .iO)('GITHUB_API_URL', githubApiText === '' ? DEFAULT_GITHUB_API_URL : githubApiText, DEFAULT_GITHUB_API_URL).href.replace(/\/+$/, ''),
        secretName: parseSecretName(read('secret-name')),
        destinations: parseDestinations(read, readEnv),
        dryRun: (0,_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .parseBoolean */ .yG)('dry-run', read('dry-run'), false),
        rotateIfExpiresWithinDays: optionalDays(read, 'rotate-if-expires-within-days'),
    };
}


/***/ })

};
