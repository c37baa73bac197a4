// JSON Schemas, written by hand from Prefect Cloud's OpenAPI description (components `UserWorkspaceResponse`, `MeReadResponse`,
// `BotReadResponse`, `BotCreateResponse`, `APIKeyReadResponse`, `APIKeyCreateResponse`, `BotAPIKeyReadResponse`,
// `AccountPermission`, `WorkspaceScopeName`, `HTTPValidationError`), for every answer the action reads: a test holds the
// emulator's answers to them, so the emulator cannot drift into shapes Prefect never sends.
import type { ErrorObject } from 'ajv';
import { Ajv } from 'ajv';
import { ACCOUNT_PERMISSIONS, WORKSPACE_SCOPES } from './roles.ts';

type Schema = Record<string, unknown>;

const uuid = { type: 'string', format: 'uuid' };
const dateTime = { type: 'string', format: 'date-time' };
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });

/** The description of `masked_key`: "Masked API key showing prefix and last 4 characters (e.g., pnu_...a1b2)". */
const MASKED_KEY_PATTERN = '^([a-z]{3}_)?\\.\\.\\.[A-Za-z0-9]{4}$';

const apiKeyRead: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    id: uuid,
    created: nullable(dateTime),
    name: { type: 'string' },
    expiration: nullable(dateTime),
    masked_key: nullable({ type: 'string', pattern: MASKED_KEY_PATTERN }),
  },
};

const apiKeyCreate: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'key'],
  properties: { id: uuid, created: nullable(dateTime), name: { type: 'string' }, expiration: nullable(dateTime), key: { type: 'string' } },
};

/** What BotReadResponse and BotCreateResponse share; they differ in `api_key`. */
function bot(apiKey: Schema): Schema {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['actor_id', 'account_id', 'name', 'account_role_name', 'api_key'],
    properties: {
      id: uuid,
      created: nullable(dateTime),
      updated: nullable(dateTime),
      actor_id: uuid,
      account_id: uuid,
      name: { type: 'string' },
      account_role_name: { type: 'string' },
      api_key: apiKey,
    },
  };
}

const userSettings: Schema = {
  type: 'object',
  properties: {
    default_timezone: nullable({ type: 'string' }),
    default_color_palette: nullable({ type: 'string' }),
    tutorial_completed: { type: 'boolean' },
    feature_previews: { type: 'array', items: { type: 'string' } },
  },
};

const userWorkspace: Schema = {
  type: 'object',
  additionalProperties: false,
  required: ['account_id', 'account_name', 'account_handle', 'workspace_id', 'workspace_name', 'workspace_description', 'workspace_handle'],
  properties: {
    account_id: uuid,
    account_name: { type: 'string' },
    account_handle: { type: 'string' },
    workspace_id: uuid,
    workspace_name: { type: 'string' },
    workspace_description: { type: 'string' },
    workspace_handle: { type: 'string' },
  },
};

/** One schema per answer, named by the operation that gives it. */
export const prefectSchemas = {
  /** GET /api/accounts/{a}/workspaces/{w}/health: the OpenAPI says nothing; Prefect sends `true`. */
  health: { const: true },
  /** GET /api/me/: MeReadResponse. */
  me: {
    type: 'object',
    additionalProperties: false,
    required: ['handle', 'first_name', 'last_name', 'email'],
    properties: {
      id: uuid,
      handle: { type: 'string' },
      first_name: { type: 'string' },
      last_name: { type: 'string' },
      email: { type: 'string', format: 'email' },
      location: nullable({ type: 'string' }),
      personal_account_id: nullable(uuid),
      settings: nullable(userSettings),
    },
  },
  /** GET /api/me/workspaces: UserWorkspaceResponse[]. */
  myWorkspaces: { type: 'array', items: userWorkspace },
  /** GET /api/me/api_keys: APIKeyReadResponse[]. */
  myApiKeys: { type: 'array', items: apiKeyRead },
  /** GET /api/me/accounts/{a}/permissions: a set of AccountPermission. */
  myAccountPermissions: { type: 'array', uniqueItems: true, items: { enum: [...ACCOUNT_PERMISSIONS] } },
  /** GET /api/me/workspaces/{w}/scopes: strings (the OpenAPI says only that; the emulator's are WorkspaceScopeName). */
  myWorkspaceScopes: { type: 'array', items: { enum: [...WORKSPACE_SCOPES] } },
  /** GET /api/accounts/{a}/bots/{id}: BotReadResponse. */
  readBot: bot(apiKeyRead),
  /** POST /api/accounts/{a}/bots/filter: BotReadResponse[]. */
  readBots: { type: 'array', items: bot(apiKeyRead) },
  /** POST /api/accounts/{a}/bots/{id}/rotate_api_key (201): BotCreateResponse, the only answer with the key's value. */
  rotateApiKey: bot(apiKeyCreate),
  /** GET /api/accounts/{a}/bots/{id}/read_bot_api_keys: BotAPIKeyReadResponse. */
  readBotApiKeys: {
    type: 'object',
    required: ['active_key', 'rotating_keys'],
    properties: { active_key: apiKeyRead, rotating_keys: { type: 'array', items: apiKeyRead } },
  },
  /** DELETE /api/accounts/{a}/bots/{id}/delete_bot_api_key/{key} (200): the OpenAPI's schema is `{}`, anything. */
  deleteBotApiKey: {},
  /** Every 422: HTTPValidationError. */
  validationError: {
    type: 'object',
    properties: {
      detail: {
        type: 'array',
        items: {
          type: 'object',
          required: ['loc', 'msg', 'type'],
          properties: { loc: { type: 'array', items: { type: ['string', 'integer'] } }, msg: { type: 'string' }, type: { type: 'string' } },
        },
      },
    },
  },
  /** Prefect's other errors (401, 403, 404): `{"detail": "..."}`, not in the OpenAPI. */
  error: { type: 'object', additionalProperties: false, required: ['detail'], properties: { detail: { type: 'string' } } },
} satisfies Record<string, Schema>;

export type PrefectAnswer = keyof typeof prefectSchemas;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
ajv.addFormat('date-time', {
  type: 'string',
  validate: (text: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(text) && !Number.isNaN(Date.parse(text)),
});
ajv.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);

const validators = new Map(Object.entries(prefectSchemas).map(([name, schema]) => [name, ajv.compile(schema)]));

function describe({ instancePath, message, params }: ErrorObject): string {
  return `${instancePath || '(root)'} ${message ?? 'is invalid'} ${JSON.stringify(params)}`;
}

/** How `value` departs from the answer's schema, one line per problem; empty when it conforms. */
export function schemaProblems(answer: PrefectAnswer, value: unknown): string[] {
  const validate = validators.get(answer);
  if (!validate) throw new Error(`no schema for ${answer}`);
  return validate(value) ? [] : (validate.errors ?? []).map(describe);
}
