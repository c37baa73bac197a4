// Checks a request against GitHub's OpenAPI description (github-operations.json): which operation its method and path are,
// and everything about it the description forbids, in words; the GitHub server answers and records from that.
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import type { Description, JsonSchema, Operation, OperationsFile } from './openapi.ts';

const file = JSON.parse(readFileSync(new URL('./github-operations.json', import.meta.url), 'utf8')) as OperationsFile;

/** A description by name: 'api.github.com' or 'ghec'. */
export function description(name: 'api.github.com' | 'ghec'): Description {
  const found = file.descriptions.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`github-operations.json has no ${name} description`);
  return found;
}

/** Every GitHub Enterprise Server release described ('ghes-3.17', ...): a request to GHES must suit each of them. */
export function ghesDescriptions(): Description[] {
  const found = file.descriptions.filter((candidate) => candidate.name.startsWith('ghes-'));
  if (found.length === 0) throw new Error('github-operations.json has no GHES description');
  return found;
}

/** What a problem makes GitHub answer: a wrong path 404, a missing User-Agent 403, no or a malformed credential 401, ... */
export type ProblemStatus = 400 | 401 | 403 | 404 | 415 | 422;

export interface Problem {
  status: ProblemStatus;
  message: string;
}

export interface Match {
  operation: Operation;
  /** Path parameters, percent-decoded. A `/repositories/{id}/...` path has `repository_id` in place of owner and repo. */
  params: Record<string, string>;
}

interface Template {
  operation: Operation;
  segments: string[]; // '' first; '{name}' for a parameter
}

const REPOSITORY_PREFIX = ['', 'repos', '{owner}', '{repo}'];

/** Each operation's path, and for `/repos/{owner}/{repo}/...` also GitHub's `/repositories/{repository_id}/...` form of it. */
function templatesOf({ operations }: Description): Template[] {
  return operations.flatMap((operation) => {
    const segments = operation.path.split('/');
    const own = { operation, segments };
    if (!REPOSITORY_PREFIX.every((segment, index) => segments[index] === segment)) return [own];
    return [own, { operation, segments: ['', 'repositories', '{repository_id}', ...segments.slice(REPOSITORY_PREFIX.length)] }];
  });
}

const templates = new Map<Description, Template[]>();

/** The operation a method and raw path (no query, no /api/v3) are, or undefined: GitHub's 404. Each segment is decoded on its own. */
export function matchOperation(described: Description, method: string, rawPath: string): Match | undefined {
  if (!templates.has(described)) templates.set(described, templatesOf(described));
  const segments = rawPath.split('/');
  for (const { operation, segments: template } of templates.get(described) ?? []) {
    if (operation.method !== method || template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matched = template.every((expected, index) => {
      const raw = segments[index] ?? '';
      if (!expected.startsWith('{')) return raw === expected;
      const value = decoded(raw);
      if (value === undefined || value === '') return false;
      if (expected === '{repository_id}' && !/^[1-9]\d*$/.test(value)) return false;
      params[expected.slice(1, -1)] = value;
      return true;
    });
    if (matched) return { operation, params };
  }
  return undefined;
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validators = new WeakMap<JsonSchema, ValidateFunction>();

function validatorOf(schema: JsonSchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** Ajv's errors in GitHub's words: `"key_id" wasn't supplied.`, `For 'properties/visibility', "x" ...`. */
function inGithubWords(errors: ErrorObject[], value: unknown): string[] {
  const words = errors
    .filter((error) => !error.schemaPath.includes('/anyOf/') && !error.schemaPath.includes('/oneOf/'))
    .map((error) => {
      if (error.keyword === 'required') return `"${String(error.params.missingProperty)}" wasn't supplied.`;
      if (error.keyword === 'anyOf' || error.keyword === 'oneOf') return `No subschema in "${error.keyword}" matched for '${pointerOf(error.instancePath)}'.`;
      const at = error.instancePath
        .split('/')
        .slice(1)
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
      if (error.keyword === 'type') return `For '${pointerOf(error.instancePath)}', ${JSON.stringify(at)} is not ${article(String(error.params.type))}.`;
      if (error.keyword === 'enum') {
        const allowed = (error.params.allowedValues as unknown[]).map((item) => JSON.stringify(item)).join(', ');
        return `For '${pointerOf(error.instancePath)}', ${JSON.stringify(at)} is not a member of [${allowed}].`;
      }
      return `For '${pointerOf(error.instancePath)}', ${JSON.stringify(at)} ${error.message ?? 'is not valid'}.`;
    });
  return [...new Set(words)];
}

/** '/selected_repository_ids/0' → 'properties/selected_repository_ids/items'; '' (the whole body) → 'body'. */
function pointerOf(instancePath: string): string {
  if (instancePath === '') return 'body';
  return instancePath
    .split('/')
    .slice(1)
    .map((key) => (/^\d+$/.test(key) ? 'items' : `properties/${key}`))
    .join('/');
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The query's problems: every parameter must be declared for the operation and fit its schema (per_page at most 100). */
export function queryProblems({ operation }: Match, rawQuery: string): Problem[] {
  const declared = new Map(operation.parameters.filter((parameter) => parameter.in === 'query').map((parameter) => [parameter.name, parameter]));
  const query = new URLSearchParams(rawQuery);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const [name, text] of query) {
    const parameter = declared.get(name);
    if (!parameter) {
      problems.push({ status: 422, message: `'${name}' is not a query parameter of ${operation.operationId}.` });
      continue;
    }
    if (seen.has(name)) problems.push({ status: 422, message: `The query parameter '${name}' is given more than once.` });
    seen.add(name);
    const value = parameter.schema.type === 'integer' && /^-?\d+$/.test(text) ? Number(text) : text;
    const validate = validatorOf(parameter.schema);
    if (!validate(value)) {
      for (const error of validate.errors ?? [])
        problems.push({ status: 422, message: `For '${name}', ${JSON.stringify(value)} ${error.message ?? 'is not valid'}.` });
    }
  }
  for (const parameter of declared.values()) {
    if (parameter.required && !query.has(parameter.name)) problems.push({ status: 422, message: `"${parameter.name}" wasn't supplied.` });
  }
  return problems;
}

/** The body's problems: its media type, JSON that parses, and the operation's request body schema. */
export function bodyProblems({ operation }: Match, headers: IncomingHttpHeaders, body: string): Problem[] {
  const { requestBody } = operation;
  if (!requestBody) return body === '' ? [] : [{ status: 400, message: `${operation.operationId} takes no request body.` }];
  if (body === '') return requestBody.required ? [{ status: 400, message: 'Problems parsing JSON: the request body is required and empty.' }] : [];
  const mediaType = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== requestBody.contentType) {
    return [{ status: 415, message: `The body must be sent with content-type ${requestBody.contentType}, not ${mediaType ?? 'none'}.` }];
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return [{ status: 400, message: 'Problems parsing JSON' }];
  }
  const validate = validatorOf(requestBody.schema);
  if (validate(value)) return [];
  return inGithubWords(validate.errors ?? [], value).map((message) => ({ status: 422, message }));
}

/** The headers GitHub requires: a User-Agent, and a credential with the scheme `token` or `Bearer`. */
export function headerProblems(headers: IncomingHttpHeaders): Problem[] {
  const problems: Problem[] = [];
  if (!headers['user-agent']?.trim()) problems.push({ status: 403, message: 'The request has no User-Agent header.' });
  const authorization = headers.authorization;
  if (authorization === undefined) problems.push({ status: 401, message: 'The request has no Authorization header.' });
  else if (!/^(token|bearer) \S+$/i.test(authorization)) {
    problems.push({ status: 401, message: `The Authorization header's scheme must be token or Bearer, not '${authorization.split(' ')[0] ?? ''}'.` });
  }
  return problems;
}
