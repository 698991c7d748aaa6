import { describe, expect, it } from 'vitest';
import { readableLine } from './create-logger.js';

describe('readableLine', () => {
  it('prints level, message and the interesting fields of a pino line', () => {
    const line = JSON.stringify({
      level: 30,
      time: Date.UTC(2026, 10, 25, 21, 30, 5),
      pid: 1,
      hostname: 'h',
      workerName: 'w',
      runId: 'r1',
      jobName: 'reports.generate',
      durationMs: 608,
      msg: 'run succeeded',
    });
    const text = readableLine(line);
    expect(text).toMatch(
      /^\d\d:\d\d:\d\d INFO {2}run succeeded {2}runId=r1 jobName=reports.generate durationMs=608\n$/,
    );
    expect(text).not.toContain('hostname');
  });

  it('shows an error by its message and quotes values with spaces', () => {
    const line = JSON.stringify({
      level: 40,
      time: 0,
      msg: 'attempt failed',
      error: { name: 'Error', message: 'gateway timed out', stack: 'Error: …\n at x' },
      note: 'two words',
    });
    expect(readableLine(line)).toContain('WARN  attempt failed  error="gateway timed out" note="two words"');
  });

  it('passes a line that is not JSON through unchanged', () => {
    expect(readableLine('plain text\n')).toBe('plain text\n');
  });
});
