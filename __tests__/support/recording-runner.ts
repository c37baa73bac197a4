// A Runner (src/runner.ts) that records what the action's work reports, for
// unit tests that call run() in-process: each log line and annotation in
// order, as "level: title: message", the outputs, the exports and the summary.

import type { Annotation, Runner } from '../../src/runner.ts';

export interface Recorded {
  exitCode: number;
  lines: string[];
  /** The annotations alone, as the runner would show them. */
  annotations: { level: 'notice' | 'warning' | 'error'; title?: string; message: string }[];
  outputs: Record<string, string>;
  exported: [string, string, boolean | undefined][];
  summary: string;
  masked: string[];
}

export function recordingRunner(): { runner: Runner; recorded: Recorded } {
  const recorded: Recorded = { exitCode: -1, lines: [], annotations: [], outputs: {}, exported: [], summary: '', masked: [] };
  const annotate = (level: Recorded['annotations'][number]['level']) => (message: string, annotation?: Annotation) => {
    recorded.lines.push(`${level}: ${annotation?.title ?? ''}: ${message}`);
    recorded.annotations.push({ level, message, ...(annotation?.title === undefined ? {} : { title: annotation.title }) });
  };
  const runner: Runner = {
    setSecret: (value) => recorded.masked.push(value),
    setOutputs: (outputs) => Object.assign(recorded.outputs, outputs),
    setSecretOutput: (name, value) => (recorded.outputs[name] = value),
    exportVariable: (name, value, secret) => recorded.exported.push([name, value, secret]),
    debug: () => undefined,
    info: (message) => recorded.lines.push(`info: ${message}`),
    notice: annotate('notice'),
    warning: annotate('warning'),
    error: annotate('error'),
    appendSummary: async (markdown) => void (recorded.summary += markdown),
  };
  return { runner, recorded };
}

/** Every secret absent from what the step shows: its lines, summary, outputs (but new-api-key) and exports (but a secret one). */
export function expectNoLeakIn(recorded: Recorded, secrets: string[]): void {
  const outputs = Object.entries(recorded.outputs).filter(([name]) => name !== 'new-api-key');
  const exported = recorded.exported.filter(([, , secret]) => secret !== true);
  const shown = [
    ...recorded.lines,
    recorded.summary,
    ...outputs.map(([name, value]) => `${name}=${value}`),
    ...exported.map(([name, value]) => `${name}=${value}`),
  ];
  for (const secret of secrets) for (const text of shown) expect(text).not.toContain(secret);
}
