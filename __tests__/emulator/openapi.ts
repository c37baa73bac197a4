// The shape of github-operations.json: the few GitHub REST operations the action calls, as GitHub's
// OpenAPI descriptions define them (written by scripts/extract-github-operations.ts, read by the emulator).

/** A JSON Schema with its $refs resolved and its annotations (description, examples) left out. */
export type JsonSchema = Record<string, unknown>;

export interface OperationParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export interface OperationBody {
  required: boolean;
  contentType: string; // 'application/json'
  schema: JsonSchema;
}

export interface Operation {
  operationId: string; // 'actions/create-or-update-repo-secret'
  summary: string;
  method: string; // upper case: 'PUT'
  path: string; // a template: '/repos/{owner}/{repo}/actions/secrets/{secret_name}'
  documentationUrl: string;
  parameters: OperationParameter[];
  requestBody: OperationBody | null;
  responses: string[]; // status codes: ['201', '204']
}

/** One of GitHub's descriptions: api.github.com, GitHub Enterprise Cloud, or a GitHub Enterprise Server release. */
export interface Description {
  name: string; // 'api.github.com', 'ghec', 'ghes-3.19'
  file: string; // in node_modules/@octokit/openapi/generated/
  server: string; // the description's server URL, e.g. '{protocol}://{hostname}/api/v3'
  operations: Operation[];
}

export interface OperationsFile {
  $comment: string;
  package: { name: string; version: string };
  descriptions: Description[];
}
