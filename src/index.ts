// Entry point: the only module besides runner.ts that knows it runs in a
// GitHub Actions step. Masks the key before anything else, reads the inputs,
// runs, and turns any failure into a clear error annotation.

import { InputError, parseCheckInputs } from './inputs.ts';
import { run } from './main.ts';
import { getInput, runner } from './runner.ts';

runner.setSecret(getInput('api-key'));

try {
  process.exitCode = await run(parseCheckInputs(getInput), runner);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  runner.error(message, { title: error instanceof InputError ? 'Invalid input' : 'Prefect Cloud key check failed' });
  process.exitCode = 1;
}
