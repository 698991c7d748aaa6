/**
 * Attribute names. The `messaging.*` and `error.type` names follow the OpenTelemetry messaging
 * semantic conventions; `durably.*` names carry what those conventions have no word for.
 */
export const attributeNames = {
  messagingSystem: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destinationName: 'messaging.destination.name',
  messageId: 'messaging.message.id',
  batchMessageCount: 'messaging.batch.message_count',
  clientId: 'messaging.client.id',
  errorType: 'error.type',
  jobName: 'durably.job.name',
  attempt: 'durably.run.attempt',
  maxAttempts: 'durably.run.max_attempts',
  origin: 'durably.run.origin',
  outcome: 'durably.run.outcome',
  status: 'durably.run.status',
  workerName: 'durably.worker.name',
  leaseLossReason: 'durably.lease.loss_reason',
} as const;

/** `messaging.system` of every span and metric point. */
export const messagingSystem = 'durably';
