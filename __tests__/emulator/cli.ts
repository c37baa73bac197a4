// Runs an emulator until SIGTERM or SIGINT: `node __tests__/emulator/cli.ts [--port N] [--github-port N] [--ghes-port N]`.
// Prints one JSON line with its URLs and seed, then nothing else.
import { parseArgs } from 'node:util';
import { startEmulator } from './index.ts';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '0' }, 'github-port': { type: 'string', default: '0' }, 'ghes-port': { type: 'string', default: '0' } },
});
const ports = Object.entries(values).map(([option, text]) => {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--${option} must be a port number, not ${text}\n`);
    process.exit(2);
  }
  return port;
});

const [port, githubPort, ghesPort] = ports;
const emulator = await startEmulator({ port, githubPort, ghesPort });
const { url, apiUrl, graphqlUrl, githubUrl, ghesUrl, seed } = emulator;
process.stdout.write(`${JSON.stringify({ url, apiUrl, graphqlUrl, githubUrl, ghesUrl, seed })}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void emulator.close());
}
