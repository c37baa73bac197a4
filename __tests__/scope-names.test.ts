// The action's list of workspace scope names is Prefect Cloud's: the names the
// emulator holds from the OpenAPI description (WorkspaceScopeName), each once.
// A name missing from the action's list would make a real scope "bad input";
// one Prefect does not know would be accepted and then reported as lacking.
// A mistyped name is answered with the closest real ones, by edit distance.

import { closestScopeNames, editDistance, WORKSPACE_SCOPE_NAMES } from '../src/prefect/scope-names.ts';
import { WORKSPACE_SCOPES } from './emulator/roles.ts';

test("the action's workspace scope names are exactly Prefect Cloud's, each once", () => {
  expect(new Set(WORKSPACE_SCOPE_NAMES).size).toBe(WORKSPACE_SCOPE_NAMES.length);
  expect([...WORKSPACE_SCOPE_NAMES].sort()).toEqual([...WORKSPACE_SCOPES].sort());
});

test('the edit distance behind the closest names: insertions, deletions and substitutions, each costing one', () => {
  const cases: [string, string, number][] = [
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['see_flows', 'see_flows', 0],
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['run_deployment', 'run_deployments', 1],
  ];
  for (const [a, b, distance] of cases) {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  }
  expect(closestScopeNames('run_deployment')).toEqual(['run_deployments', 'see_deployments', 'write_deployments']);
});
