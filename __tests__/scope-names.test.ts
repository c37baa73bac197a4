// The action's list of workspace scope names is Prefect Cloud's: the names the
// emulator holds from the OpenAPI description (WorkspaceScopeName), each once.
// A name missing from the action's list would make a real scope "bad input";
// one Prefect does not know would be accepted and then reported as lacking.

import { WORKSPACE_SCOPE_NAMES } from '../src/prefect/scope-names.ts';
import { WORKSPACE_SCOPES } from './emulator/roles.ts';

test("the action's workspace scope names are exactly Prefect Cloud's, each once", () => {
  expect(new Set(WORKSPACE_SCOPE_NAMES).size).toBe(WORKSPACE_SCOPE_NAMES.length);
  expect([...WORKSPACE_SCOPE_NAMES].sort()).toEqual([...WORKSPACE_SCOPES].sort());
});
