// How the runner reads a step's stdout (actions/runner ActionCommandManager):
// lines split at LF, CRLF and a lone CR; `::name props::data` at a line's start
// (leading white space trimmed) is a command; the old `##[name props]data` form
// anywhere in a line is one too; `::stop-commands::TOKEN` stops all command
// processing until a line `::TOKEN::`. The tests read the action's output the
// same way, to count what the runner would do with it.

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

export function readAsRunner(stdout: string): RunnerReading {
  const reading: RunnerReading = { commands: [], masks: [], ignoredWhileStopped: 0 };
  let stoppedUntil: string | undefined;
  for (const line of stdout.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim();
    if (stoppedUntil !== undefined) {
      if (trimmed === `::${stoppedUntil}::`) stoppedUntil = undefined;
      else reading.ignoredWhileStopped += 1;
      continue;
    }
    const v2 = /^::([A-Za-z0-9_-]+)(?: ([^:]*))?::(.*)$/s.exec(trimmed);
    const v1 = v2 ? null : /##\[([A-Za-z0-9_-]+)([^\]]*)\](.*)$/s.exec(line);
    const match = v2 ?? v1;
    if (!match) continue;
    const command: ReadCommand = { name: match[1]!.toLowerCase(), properties: (match[2] ?? '').trim(), data: match[3] ?? '', form: v2 ? '::' : '##[' };
    reading.commands.push(command);
    if (command.name === 'stop-commands') stoppedUntil = command.data;
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
