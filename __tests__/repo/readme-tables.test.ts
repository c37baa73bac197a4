// The README's input and output tables against action.yml: every input and
// output in a row of its own, with action.yml's default, and nothing more.
// The audit's tables (`audit input`, `audit output`) against audit/action.yml likewise.

import { parseAction, readText, tables, type ActionSpec } from './markdown.ts';

/**
 * What is wrong between the README's tables and action.yml, one sentence each.
 * An input table has `input` as its first heading and a `default` column; an
 * output table has `output` as its first heading. A row's first cell names one
 * or more inputs or outputs, each backticked: `` `one-input`, `another-input` ``.
 * The default cell shows action.yml's default backticked, `(required)` for a
 * required input, or nothing.
 */
export function tableProblems(readme: string, action: ActionSpec, prefix = ''): string[] {
  const problems: string[] = [];
  const named = { input: new Map<string, number>(), output: new Map<string, number>() };
  for (const table of tables(readme)) {
    const heading = table.header[0] ?? '';
    const kind = heading.startsWith(prefix) ? heading.slice(prefix.length) : undefined;
    if (kind !== 'input' && kind !== 'output') continue;
    const defaultColumn = table.header.indexOf('default');
    if (kind === 'input' && defaultColumn === -1) problems.push(`The input table at README line ${table.line} has no default column.`);
    for (const row of table.rows) {
      const first = row[0] ?? '';
      const names = [...first.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
      if (names.length === 0 || first.replace(/`[^`]+`/g, '').replace(/,|\band\b|\s/g, '') !== '') {
        problems.push(`The ${kind} table at README line ${table.line} has a row whose first cell is not backticked ${kind} names: ${JSON.stringify(first)}.`);
        continue;
      }
      for (const name of names) {
        named[kind].set(name, (named[kind].get(name) ?? 0) + 1);
        const spec = kind === 'input' ? action.inputs[name] : action.outputs[name];
        if (!spec) {
          problems.push(`The README names ${kind} ${name}, which action.yml lacks.`);
          continue;
        }
        if (kind !== 'input' || defaultColumn === -1) continue;
        const input = action.inputs[name] ?? {};
        const expected = input.required === true ? '(required)' : input.default === undefined ? '' : `\`${input.default}\``;
        const shown = row[defaultColumn] ?? '';
        if (shown !== expected) {
          problems.push(`The README gives input ${name} the default ${JSON.stringify(shown)}, but action.yml says ${JSON.stringify(expected)}.`);
        }
      }
    }
  }
  for (const kind of ['input', 'output'] as const) {
    const declared = Object.keys(kind === 'input' ? action.inputs : action.outputs);
    for (const name of declared) {
      const rows = named[kind].get(name) ?? 0;
      if (rows === 0) problems.push(`action.yml's ${kind} ${name} is in no README ${kind} table.`);
      if (rows > 1) problems.push(`The README lists ${kind} ${name} in ${rows} rows; one is enough.`);
    }
  }
  return problems;
}

const readme = readText('README.md');
const action = parseAction(readText('action.yml'));
const audit = parseAction(readText('audit/action.yml'));

test('the README tables list every input and output of action.yml, with its default', () => {
  expect(tableProblems(readme, action)).toEqual([]);
});

test("the README's audit tables list every input and output of audit/action.yml, with its default", () => {
  expect(tableProblems(readme, audit, 'audit ')).toEqual([]);
  // The check's tables are not the audit's: each is held to its own action.yml.
  const changed = structuredClone(audit);
  changed.inputs['warn-within-days'] = { ...changed.inputs['warn-within-days'], default: '30' };
  expect(tableProblems(readme, changed, 'audit ')).toEqual(['The README gives input warn-within-days the default "`14`", but action.yml says "`30`".']);
});

test('a README that disagrees with action.yml is caught', () => {
  /** Rewrites the one table row whose first cell is `first`; `undefined` drops it. Works on padded (formatted) tables too. */
  const editRow = (text: string, first: string, edit: (cells: string[]) => string[] | undefined) => {
    const lines = text.split('\n');
    const index = lines.findIndex((line) => line.startsWith('|') && line.split('|')[1]?.trim() === first);
    if (index === -1) throw new Error(`the README has no table row for ${first}`);
    const edited = edit(
      (lines[index] ?? '')
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
    lines.splice(index, 1, ...(edited ? [`| ${edited.join(' | ')} |`] : []));
    return lines.join('\n');
  };
  const setCell = (column: number, value: string) => (cells: string[]) => cells.map((cell, index) => (index === column ? value : cell));
  let mutated = readme;
  mutated = editRow(mutated, '`timeout-seconds`', setCell(1, '`60`'));
  mutated = editRow(mutated, '`api-key`', setCell(1, '`x`'));
  mutated = editRow(mutated, '`key-name`', setCell(1, ''));
  mutated = editRow(mutated, '`dry-run`', () => undefined);
  mutated = editRow(mutated, '`rotation`', setCell(0, '`rotation-ending`'));
  mutated = editRow(mutated, '`workspace`', setCell(0, '`workspace-uuid`'));
  mutated = editRow(mutated, '`fail-on-invalid`', setCell(0, 'fail-on-invalid'));

  const changedAction = structuredClone(action);
  changedAction.inputs['proxy-url'] = { description: 'A new input the README does not know.' };
  changedAction.inputs['retries'] = { ...changedAction.inputs['retries'], default: '5' };
  changedAction.inputs['api-key'] = { ...changedAction.inputs['api-key'], required: true };

  const checkInputsLine = tables(mutated).find((table) => table.rows.some((row) => row[0] === 'fail-on-invalid'))?.line;
  expect(tableProblems(mutated, changedAction).sort()).toEqual(
    [
      'The README gives input timeout-seconds the default "`60`", but action.yml says "`30`".',
      'The README gives input api-key the default "`x`", but action.yml says "(required)".',
      'The README gives input key-name the default "", but action.yml says "`github-actions`".',
      'The README gives input retries the default "`3`", but action.yml says "`5`".',
      "action.yml's input dry-run is in no README input table.",
      "action.yml's input proxy-url is in no README input table.",
      "action.yml's input workspace is in no README input table.",
      "action.yml's input fail-on-invalid is in no README input table.",
      "action.yml's output rotation is in no README output table.",
      'The README names input workspace-uuid, which action.yml lacks.',
      'The README names output rotation-ending, which action.yml lacks.',
      `The input table at README line ${checkInputsLine} has a row whose first cell is not backticked input names: "fail-on-invalid".`,
    ].sort(),
  );
});

test('an input table without a default column, and a row listed twice, are caught', () => {
  const table = ['| input | meaning |', '| --- | --- |', '| `api-key` | The key. |', ''].join('\n');
  const problems = tableProblems(`${readme}\n${table}`, action);
  expect(problems).toContain('The README lists input api-key in 2 rows; one is enough.');
  expect(problems.some((problem) => /^The input table at README line \d+ has no default column\.$/.test(problem))).toBe(true);
});
