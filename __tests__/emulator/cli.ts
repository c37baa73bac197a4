// Runs an emulator until SIGTERM or SIGINT: `node __tests__/emulator/cli.ts [--port N]`.
// Prints one JSON line with its URLs and seed, then nothing else.
import { parseArgs } from 'node:util';
import { startEmulator } from './index.ts';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a port number, not ${values.port}\n`);
  process.exit(2);
}

const emulator = await startEmulator({ port });
const { url, apiUrl, graphqlUrl, githubUrl, seed } = emulator;
process.stdout.write(`${JSON.stringify({ url, apiUrl, graphqlUrl, githubUrl, seed })}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void emulator.close());
}
