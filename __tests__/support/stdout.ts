// Captures what a unit test's code writes to stdout, where @actions/core
// writes workflow commands, and gives it back as one string.

import { jest } from '@jest/globals';

export function captureStdout(action: () => void): string {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    action();
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}
