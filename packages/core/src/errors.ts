const marker = Symbol.for('durably.error');

/** Stable machine-readable codes of every error Durably throws. */
export type DurablyErrorCode =
  | 'invalid_configuration'
  | 'invalid_job_definition'
  | 'invalid_schedule'
  | 'invalid_payload'
  | 'invalid_argument'
  | 'unknown_job'
  | 'run_not_found'
  | 'schedule_not_found'
  | 'run_key_conflict'
  | 'non_retryable'
  | 'store_unavailable'
  | 'schema_version'
  | 'store_closed';

/**
 * Base class of every error Durably throws. `code` is stable; `message` says what went wrong and
 * what to do. `DurablyError.isInstance(e)` also recognises errors from a second copy of this package
 * (two installs in one process), where `instanceof` would fail.
 */
export class DurablyError extends Error {
  private readonly [marker] = true;
  readonly code: DurablyErrorCode;

  constructor(code: DurablyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }

  static isInstance(error: unknown): error is DurablyError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}

/** An option has a wrong name, type or value. `key` is its dotted path, e.g. `retention.deleteBatchSize`. */
export class ConfigurationError extends DurablyError {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super('invalid_configuration', `Invalid option \`${key}\`: ${message}`);
  }
}

/** A job definition is invalid; `field` names the attribute, e.g. `recurring.timeZone`. */
export class JobDefinitionError extends DurablyError {
  constructor(
    readonly jobName: string,
    readonly field: string,
    message: string,
  ) {
    super('invalid_job_definition', `Job "${jobName}": invalid \`${field}\`: ${message}`);
  }
}

/** A cron expression or time zone cannot be used; `field` is `cron` or `timeZone`. */
export class ScheduleError extends DurablyError {
  constructor(
    readonly field: 'cron' | 'timeZone',
    message: string,
  ) {
    super('invalid_schedule', message);
  }
}

/** A payload cannot be stored as given. `path` points at the offending value, e.g. `$.items[2].at`. */
export class PayloadError extends DurablyError {
  constructor(
    readonly jobName: string,
    readonly path: string,
    message: string,
  ) {
    super('invalid_payload', `Payload of job "${jobName}" at ${path}: ${message}`);
  }
}

/** A call argument is out of range or of the wrong shape; `argument` names it. */
export class InvalidArgumentError extends DurablyError {
  constructor(
    readonly argument: string,
    message: string,
  ) {
    super('invalid_argument', `Invalid argument \`${argument}\`: ${message}`);
  }
}

/** No job with this name is defined in the running code. */
export class UnknownJobError extends DurablyError {
  constructor(readonly jobName: string) {
    super('unknown_job', `No job named "${jobName}" is defined. Add its definition to \`jobs\`.`);
  }
}

export class RunNotFoundError extends DurablyError {
  constructor(readonly runId: string) {
    super('run_not_found', `No run with id "${runId}" exists (it may have been removed by retention).`);
  }
}

export class ScheduleNotFoundError extends DurablyError {
  constructor(readonly jobName: string) {
    super('schedule_not_found', `No recurring schedule named "${jobName}" exists in the store.`);
  }
}

/** An enqueue with a `key` met an active run with the same key and could not proceed. */
export class RunKeyConflictError extends DurablyError {
  constructor(
    readonly jobName: string,
    readonly key: string,
    readonly existingRunId: string,
    reason: string,
  ) {
    super('run_key_conflict', `Job "${jobName}" key "${key}": ${reason} (existing run ${existingRunId}).`);
  }
}

/**
 * Throw from a handler to fail the run at once, without the remaining retries.
 *
 * @example
 * if (!user) throw new NonRetryableError('user was deleted');
 */
export class NonRetryableError extends DurablyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('non_retryable', message, options);
  }
}

/** The store could not be reached or answered with a transient fault. */
export class StoreUnavailableError extends DurablyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store_unavailable', message, options);
  }
}

/** The database schema is newer than this version of Durably knows. */
export class SchemaVersionError extends DurablyError {
  constructor(message: string) {
    super('schema_version', message);
  }
}

/** The store was closed and can no longer be used. */
export class StoreClosedError extends DurablyError {
  constructor() {
    super('store_closed', 'The store has been closed.');
  }
}
