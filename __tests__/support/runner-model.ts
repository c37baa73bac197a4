// How the runner reads a step's stdout (actions/runner ActionCommandManager and
// ActionCommand.TryParseV2/TryParse): lines split at LF, CRLF and a lone CR;
// `::name props::data` at a line's start (leading white space trimmed) is a
// command, its properties running to the first `::` (so they may hold a single
// colon); the old `##[name props]data` form anywhere in a line is one too;
// names are compared without case; `::stop-commands::TOKEN` stops all command
// processing until a command named TOKEN (any case, either form, any data).
// The tests read the action's output the same way, to count what the runner
// would do with it. Every name counts as a command here, where the runner
// knows a fixed set: the model errs towards seeing more commands, never fewer.

export interface ReadCommand {
  name: string;
  properties: string;
  data: string;
  /** The form the runner recognised: '::' (at a line start) or '##[' (anywhere). */
  form: '::' | '##[';
}

export interface RunnerReading {
  commands: ReadCommand[];
  /** Values the runner registered as secrets (add-mask), unescaped, in order. */
  masks: string[];
  /** Lines shown as text while commands were stopped: an add-mask among them is not honoured. */
  ignoredWhileStopped: number;
}

function unescapeData(text: string): string {
  return text.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

/** `::name props::data` after leading white space, as TryParseV2 reads it. */
function parseV2(line: string): ReadCommand | undefined {
  const message = line.trimStart();
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!name) return undefined;
  return { name: name.toLowerCase(), properties: space < 0 ? '' : info.slice(space + 1).trim(), data: message.slice(end + 2), form: '::' };
}

/** `##[name props]data` anywhere in the line, as TryParse reads it. */
function parseV1(line: string): ReadCommand | undefined {
  const match = /##\[([^\s\]]+)([^\]]*)\](.*)$/s.exec(line);
  if (!match) return undefined;
  return { name: match[1]!.toLowerCase(), properties: match[2]!.trim(), data: match[3]!, form: '##[' };
}

export function readAsRunner(stdout: string): RunnerReading {
  const reading: RunnerReading = { commands: [], masks: [], ignoredWhileStopped: 0 };
  let stoppedUntil: string | undefined;
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const command = parseV2(line) ?? parseV1(line);
    if (stoppedUntil !== undefined) {
      if (command?.name === stoppedUntil) stoppedUntil = undefined;
      else reading.ignoredWhileStopped += 1;
      continue;
    }
    if (!command) continue;
    reading.commands.push(command);
    if (command.name === 'stop-commands') stoppedUntil = unescapeData(command.data).toLowerCase();
    if (command.name === 'add-mask') reading.masks.push(unescapeData(command.data));
  }
  return reading;
}

/** The commands an action of this kind means to send: masks, annotations and debug lines, all in the `::` form. */
export const INTENDED_COMMANDS = new Set(['add-mask', 'error', 'warning', 'notice', 'debug']);

/** A command's identity for comparing two readings: name, form and properties (titles). */
export function signature(command: ReadCommand): string {
  return `${command.form}${command.name} ${command.properties}`;
}
