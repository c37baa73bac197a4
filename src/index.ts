// Entry point: the only module besides runner.ts that knows it runs in a
// GitHub Actions step. Masks the credentials before anything else, reads the
// inputs, runs, and turns any failure into a clear error annotation.

import { InputError, MIN_CREDENTIAL_LENGTH, parseCheckInputs } from './inputs.ts';
import { run } from './main.ts';
import { getInput, runner } from './runner.ts';

// Masked before anything else. A value too short to be a credential is refused by the inputs below
// without being shown; masking it would turn ordinary words in the log into ***.
for (const name of ['api-key', 'github-token']) {
  const value = getInput(name);
  if (value.length >= MIN_CREDENTIAL_LENGTH) runner.setSecret(value);
}

try {
  const inputs = parseCheckInputs(getInput);
  const rotation = inputs.rotate ? (await import('./rotate/inputs.ts')).parseRotationInputs(getInput, (name) => process.env[name], inputs) : undefined;
  process.exitCode = await run(inputs, runner, { rotation });
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  runner.error(message, { title: error instanceof InputError ? 'Invalid input' : 'Prefect Cloud key action failed' });
  process.exitCode = 1;
}
