// The emulator's copy of GitHub's REST description (__tests__/emulator/github-operations.json) is exactly what
// scripts/extract-github-operations.ts cuts out of the installed @octokit/openapi: a package update that changes it fails here.
import { readdirSync, readFileSync } from 'node:fs';
import type { OperationsFile } from './emulator/openapi.ts';
import { EXTRACT, extractGithubOperations, formatExtract, OPERATION_IDS } from '../scripts/extract-github-operations.ts';

const committed = readFileSync(EXTRACT, 'utf8');

describe('github-operations.json', () => {
  const fresh = extractGithubOperations();

  it('is what the installed @octokit/openapi describes (else run node scripts/extract-github-operations.ts)', () => {
    expect(JSON.parse(committed) as OperationsFile).toEqual(fresh);
  });

  it('is formatted as the script writes it', async () => {
    expect(committed).toBe(await formatExtract(fresh));
  });

  it('covers api.github.com, GitHub Enterprise Cloud and every GitHub Enterprise Server release described, each with every operation the action uses', () => {
    const ghes = readdirSync(new URL('../node_modules/@octokit/openapi/generated/', import.meta.url))
      .filter((file) => /^ghes-\d+\.\d+\.json$/.test(file))
      .map((file) => file.replace(/\.json$/, ''));
    expect(ghes.length).toBeGreaterThanOrEqual(3);
    expect(fresh.descriptions.map(({ name }) => name).sort()).toEqual(['api.github.com', 'ghec', ...ghes].sort());
    for (const { operations } of fresh.descriptions) expect(operations.map(({ operationId }) => operationId)).toEqual(OPERATION_IDS);
  });

  it('keeps what the emulator checks: paths, parameters, body schemas with $refs resolved, statuses', () => {
    const [dotcom] = fresh.descriptions;
    const put = dotcom?.operations.find(({ operationId }) => operationId === 'actions/create-or-update-org-secret');
    expect(put).toMatchObject({ method: 'PUT', path: '/orgs/{org}/actions/secrets/{secret_name}', responses: ['201', '204'] });
    expect(put?.requestBody?.schema).toMatchObject({
      required: ['visibility'],
      properties: { visibility: { enum: ['all', 'private', 'selected'] }, encrypted_value: { pattern: expect.any(String) } },
    });
    const list = dotcom?.operations.find(({ operationId }) => operationId === 'actions/list-selected-repos-for-org-secret');
    expect(list?.parameters.find(({ name }) => name === 'per_page')).toEqual({
      name: 'per_page',
      in: 'query',
      required: false,
      schema: { type: 'integer', default: 30, maximum: 100 },
    });
    expect(committed).not.toContain('$ref');
  });
});
