// Entry point: the only module besides runner.ts that knows it runs in a
// GitHub Actions step. Masks the credentials before anything else, reads the
// inputs, runs, and turns any failure into a clear error annotation.

import { closeDispatcher } from './http/client.ts';
import { InputError, MIN_CREDENTIAL_LENGTH, parseCheckInputs } from './inputs.ts';
import { run } from './main.ts';
import { getInput, runner } from './runner.ts';

const readEnv = (name: string) => process.env[name];

// Masked before anything else, the key wherever it comes from (the input, or PREFECT_API_KEY). A value too
// short to be a credential is refused by the inputs below without being shown; masking it would turn
// ordinary words in the log into ***.
for (const value of [getInput('api-key') || (readEnv('PREFECT_API_KEY') ?? '').trim(), getInput('github-token')]) {
  if (value.length >= MIN_CREDENTIAL_LENGTH) runner.setSecret(value);
}

try {
  const inputs = parseCheckInputs(getInput, readEnv);
  // No key: the missing-key verdict, before the rotation's inputs, which lack their secrets for the same reason.
  const rotation = inputs.rotate && inputs.apiKey !== '' ? (await import('./rotate/inputs.ts')).parseRotationInputs(getInput, readEnv, inputs) : undefined;
  process.exitCode = await run(inputs, runner, { rotation });
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  runner.error(message, { title: error instanceof InputError ? 'Invalid input' : 'Prefect Cloud key action failed' });
  process.exitCode = 1;
} finally {
  // Connections undici still holds (a stalled proxy tunnel among them) would keep the process alive past the step's work.
  closeDispatcher();
}
