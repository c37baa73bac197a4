// Entry point of the audit action (audit/action.yml): the only module of the
// audit besides runner.ts that knows it runs in a GitHub Actions step. Masks
// the key first, reads the inputs, runs, and turns any failure into an error
// annotation. It loads nothing of the rotation, its GitHub client or its sealing.

import { InputError, MIN_CREDENTIAL_LENGTH } from '../inputs.ts';
import { getInput, runner } from '../runner.ts';
import { parseAuditInputs } from './inputs.ts';
import { runAudit } from './main.ts';

const readEnv = (name: string) => process.env[name];

// Masked before anything else, wherever the key comes from; a value too short to be one is refused below without being shown.
const apiKey = getInput('api-key') || (readEnv('PREFECT_API_KEY') ?? '').trim();
if (apiKey.length >= MIN_CREDENTIAL_LENGTH) runner.setSecret(apiKey);

try {
  process.exitCode = await runAudit(parseAuditInputs(getInput, readEnv), runner);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  runner.error(message, { title: error instanceof InputError ? 'Invalid input' : 'Prefect Cloud key audit failed' });
  process.exitCode = 1;
}
