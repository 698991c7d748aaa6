import type { AttemptInfo } from '@durably/core';

/** An `AttemptInfo` for job `email.send` in queue `mail`, attempt 1 of 3. */
export function attemptInfo(overrides: Partial<AttemptInfo> = {}): AttemptInfo {
  return {
    runId: 'run-1',
    jobName: 'email.send',
    queue: 'mail',
    attempt: 1,
    maxAttempts: 3,
    scheduledFor: new Date('2026-01-01T00:00:00Z'),
    startedAt: new Date('2026-01-01T00:00:02.500Z'),
    workerName: 'worker-1',
    metadata: {},
    origin: 'enqueue',
    ...overrides,
  };
}
