// action.yml against SchemaStore's schema for action metadata, plus what the
// Marketplace listing and the README need that the schema leaves optional.
// Schema: SchemaStore's src/schemas/json/github-action.json (https://json.schemastore.org/github-action.json), vendored in
// __tests__/schemas/ from a revision that accepts node24: the copy in the fork muzimuzhi/schemastore at commit 62c076b.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import yaml from 'js-yaml';

const root = resolve(import.meta.dirname, '../..');
const schema = JSON.parse(readFileSync(resolve(root, '__tests__/schemas/github-action.json'), 'utf8')) as object;
const action = yaml.load(readFileSync(resolve(root, 'action.yml'), 'utf8')) as ActionMetadata;

interface ActionMetadata {
  name?: unknown;
  description?: unknown;
  author?: unknown;
  branding?: { icon?: unknown; color?: unknown };
  inputs?: Record<string, { description?: unknown; required?: unknown; default?: unknown }>;
  outputs?: Record<string, { description?: unknown }>;
  runs?: { using?: unknown; main?: unknown };
}

// strict: false, because the schema's if/then/else uses `properties` without `type`, which Ajv's strict mode reports.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

/** The schema's complaints about a metadata document, one line each. */
function schemaErrors(metadata: unknown): string[] {
  return validate(metadata) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`);
}

const nonEmpty = (value: unknown) => typeof value === 'string' && value.trim().length > 0;

test('action.yml is valid action metadata', () => {
  expect(schemaErrors(action)).toEqual([]);
});

test('the schema rejects broken metadata (the check can fail)', () => {
  const broken = structuredClone(action);
  broken.runs = { using: 'node8', main: 'dist/index.js' };
  (broken.inputs as Record<string, unknown>)['api-key'] = { required: true };
  const errors = schemaErrors(broken);
  expect(errors).toEqual(
    expect.arrayContaining([expect.stringMatching(/^\/runs/), expect.stringMatching(/^\/inputs\/api-key must have required property 'description'/)]),
  );
});

test('name, description, author and branding are set for the Marketplace', () => {
  expect(nonEmpty(action.name)).toBe(true);
  expect(nonEmpty(action.description)).toBe(true);
  expect(nonEmpty(action.author)).toBe(true);
  expect(nonEmpty(action.branding?.icon)).toBe(true);
  expect(nonEmpty(action.branding?.color)).toBe(true);
});

test('runs the committed bundle on Node 24', () => {
  expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
});

test('every input and output has a description', () => {
  const inputs = Object.entries(action.inputs ?? {});
  const outputs = Object.entries(action.outputs ?? {});
  expect(inputs.length).toBeGreaterThan(0);
  expect(outputs.length).toBeGreaterThan(0);
  const undescribed = [...inputs, ...outputs].filter(([, spec]) => !nonEmpty(spec?.description)).map(([name]) => name);
  expect(undescribed).toEqual([]);
});

test('defaults are strings, and a required input has none', () => {
  for (const [name, spec] of Object.entries(action.inputs ?? {})) {
    if (spec.default !== undefined) expect({ name, type: typeof spec.default }).toEqual({ name, type: 'string' });
    if (spec.required === true) expect({ name, default: spec.default }).toEqual({ name, default: undefined });
  }
});

test('audit/action.yml is valid action metadata too, with every input and output described, running its own bundle on Node 24', () => {
  const audit = yaml.load(readFileSync(resolve(root, 'audit/action.yml'), 'utf8')) as ActionMetadata;
  expect(schemaErrors(audit)).toEqual([]);
  expect(audit.runs).toEqual({ using: 'node24', main: '../dist/audit/index.js' });
  const described = [...Object.entries(audit.inputs ?? {}), ...Object.entries(audit.outputs ?? {})].filter(([, spec]) => !nonEmpty(spec?.description));
  expect(described.map(([name]) => name)).toEqual([]);
  for (const [name, spec] of Object.entries(audit.inputs ?? {})) {
    if (spec.default !== undefined) expect({ name, type: typeof spec.default }).toEqual({ name, type: 'string' });
  }
});
