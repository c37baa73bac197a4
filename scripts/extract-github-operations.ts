// node scripts/extract-github-operations.ts: writes __tests__/emulator/github-operations.json, the GitHub REST operations
// the action calls, cut out of @octokit/openapi (api.github.com, ghec, every ghes) so the emulator never loads the big files.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import type { Description, JsonSchema, Operation, OperationParameter, OperationsFile } from '../__tests__/emulator/openapi.ts';

const root = resolve(import.meta.dirname, '..');
const PACKAGE = join(root, 'node_modules/@octokit/openapi');
export const EXTRACT = join(root, '__tests__/emulator/github-operations.json');

/** Every operation the action calls (and the secret reads, which cost nothing to keep). */
export const OPERATION_IDS = [
  'actions/get-repo-public-key',
  'actions/get-repo-secret',
  'actions/create-or-update-repo-secret',
  'actions/get-environment-public-key',
  'actions/get-environment-secret',
  'actions/create-or-update-environment-secret',
  'actions/get-org-public-key',
  'actions/get-org-secret',
  'actions/create-or-update-org-secret',
  'actions/list-selected-repos-for-org-secret',
];

/** Schema keywords that only annotate: they never change what validates, and they are most of the bytes. */
const ANNOTATIONS = new Set(['description', 'examples', 'example', 'title', 'externalDocs']);
/** Keywords whose value maps names to schemas (the names are data, not keywords). */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs']);
const HTTP_METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

type Json = unknown;
type Spec = { info: { version: string }; servers?: Array<{ url: string }>; paths: Record<string, Record<string, Json>> };

/** The files to read: api.github.com, ghec, and every GHES release the package describes (GitHub supports each), oldest first. */
export function descriptionFiles(dir = join(PACKAGE, 'generated')): string[] {
  const ghes = readdirSync(dir)
    .map((file) => /^ghes-(\d+)\.(\d+)\.json$/.exec(file))
    .filter((match) => match !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]) || Number(a[2]) - Number(b[2]))
    .map((match) => match[0]);
  if (ghes.length === 0) throw new Error(`no ghes-X.Y.json in ${dir}`);
  return ['api.github.com.json', 'ghec.json', ...ghes];
}

function pointer(spec: Json, ref: string): Json {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, not ${ref}`);
  let node = spec;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Record<string, Json>)[key];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return node;
}

/** `value` with every $ref replaced by what it points at; `seen` stops a recursive schema. */
function resolveRefs(spec: Json, value: Json, seen: string[] = []): Json {
  if (Array.isArray(value)) return value.map((item) => resolveRefs(spec, item, seen));
  if (typeof value !== 'object' || value === null) return value;
  const { $ref: ref } = value as { $ref?: unknown };
  if (typeof ref === 'string') {
    if (seen.includes(ref)) throw new Error(`recursive $ref ${ref}`);
    return resolveRefs(spec, pointer(spec, ref), [...seen, ref]);
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveRefs(spec, item, seen)]));
}

/** A resolved schema without its annotations. */
function bare(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(bare);
  if (typeof schema !== 'object' || schema === null) return schema;
  const kept: Record<string, Json> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    kept[key] =
      SCHEMA_MAPS.has(key) && typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, bare(sub)]))
        : bare(value);
  }
  return kept;
}

type RawParameter = { name: string; in: OperationParameter['in']; required?: boolean; description?: string; schema?: Json };

/** A parameter with its schema; a limit its description states in words ("(max 100)") becomes the schema's `maximum`. */
function parameterOf(raw: RawParameter): OperationParameter {
  const schema = bare(raw.schema ?? {}) as JsonSchema;
  const max = /\(max (\d+)\)/.exec(raw.description ?? '')?.[1];
  if (max !== undefined && schema.maximum === undefined) schema.maximum = Number(max);
  return { name: raw.name, in: raw.in, required: raw.required === true, schema };
}

function operationOf(spec: Spec, operationId: string): Operation {
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of HTTP_METHODS) {
      const raw = item[method] as Record<string, Json> | undefined;
      if (raw?.operationId !== operationId) continue;
      const op = resolveRefs(spec, raw) as {
        summary?: string;
        externalDocs?: { url?: string };
        parameters?: RawParameter[];
        requestBody?: { required?: boolean; content: Record<string, { schema?: Json }> };
        responses: Record<string, Json>;
      };
      const shared = ((resolveRefs(spec, item.parameters ?? []) as typeof op.parameters) ?? []).filter(
        (p) => !op.parameters?.some((own) => own.name === p.name && own.in === p.in),
      );
      const parameters = [...shared, ...(op.parameters ?? [])].map(parameterOf);
      const [contentType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      return {
        operationId,
        summary: op.summary ?? '',
        method: method.toUpperCase(),
        path,
        documentationUrl: op.externalDocs?.url ?? '',
        parameters,
        requestBody: contentType ? { required: op.requestBody?.required === true, contentType, schema: bare(media?.schema ?? {}) as JsonSchema } : null,
        responses: Object.keys(op.responses),
      };
    }
  }
  throw new Error(`${operationId} is not in the description`);
}

function describe(file: string, dir: string): Description {
  const spec = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Spec;
  return {
    name: file.replace(/\.json$/, ''),
    file,
    server: spec.servers?.[0]?.url ?? '',
    operations: OPERATION_IDS.map((id) => operationOf(spec, id)),
  };
}

/** What github-operations.json should hold for the installed @octokit/openapi. */
export function extractGithubOperations(packageDir = PACKAGE): OperationsFile {
  const { name, version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string; version: string };
  const dir = join(packageDir, 'generated');
  return {
    $comment: `Generated by scripts/extract-github-operations.ts from ${name} ${version}: do not edit, run it again.`,
    package: { name, version },
    descriptions: descriptionFiles(dir).map((file) => describe(file, dir)),
  };
}

/** The extract as the committed file holds it: formatted by the repository's Prettier settings. */
export async function formatExtract(extract: OperationsFile): Promise<string> {
  const options = (await resolveConfig(EXTRACT)) ?? {};
  return format(JSON.stringify(extract), { ...options, filepath: EXTRACT });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(EXTRACT, await formatExtract(extractGithubOperations()));
  process.stdout.write(`wrote ${EXTRACT}\n`);
}
