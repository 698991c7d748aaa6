import { describe, expect, it } from 'vitest';
import { createRecordingLogger, type LogRecord } from './recording-logger.js';

describe('createRecordingLogger', () => {
  it('records every call in order, with child bindings merged under the call fields', () => {
    const records: LogRecord[] = [];
    const logger = createRecordingLogger(records, { worker: 'w1' });
    logger.info({ runs: 2 }, 'claimed');
    const child = logger.child({ runId: 'r1', worker: 'w2' });
    child.error({ attempt: 1 }, 'failed');
    expect(records).toEqual([
      { level: 'info', fields: { worker: 'w1', runs: 2 }, message: 'claimed' },
      { level: 'error', fields: { worker: 'w2', runId: 'r1', attempt: 1 }, message: 'failed' },
    ]);
  });
});
