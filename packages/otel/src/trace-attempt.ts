import type { AttemptInfo, RunError } from '@durably/core';
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { attributeNames as names, messagingSystem } from './attribute-names.js';
import { classifyResult, classifyThrown, type ClassifiedOutcome } from './attempt-outcome.js';
import type { OtelRuntime } from './otel-runtime.js';

/**
 * The `attempt` hook: one CONSUMER span `process <job>` per attempt, active while the handler runs
 * (so the handler's own spans nest under it). The producer's context is restored from the run's
 * metadata: in `link` mode (default) the span starts a new trace and links to the producer span —
 * the messaging conventions' advice, since an attempt may run hours later and a retried run has
 * several; in `child` mode it joins the producer's trace as a child. Cron runs have no producer
 * and start a new trace. Also records the consumed counter, active attempts, queue time, schedule
 * lag, the process duration and the outcome.
 */
export async function traceAttempt<T>(
  rt: OtelRuntime,
  info: AttemptInfo,
  execute: () => Promise<T>,
): Promise<T> {
  let started: StartedAttempt;
  try {
    started = startAttempt(rt, info);
  } catch {
    // Telemetry must never cost a run: without a span, the attempt still runs.
    return execute();
  }
  try {
    const result = await context.with(started.context, execute);
    safely(() => endAttempt(rt, started, classifyResult(result)));
    return result;
  } catch (error) {
    safely(() => endAttempt(rt, started, classifyThrown(error)));
    throw error;
  }
}

interface StartedAttempt {
  span: Span;
  /** The context the handler runs in: the span set on its parent. */
  context: Context;
  base: Attributes;
  startedMs: number;
}

function startAttempt(rt: OtelRuntime, info: AttemptInfo): StartedAttempt {
  const producer = rt.propagator.extract(ROOT_CONTEXT, info.metadata, {
    get: (carrier, key) => (carrier as Readonly<Record<string, string>>)[key],
    keys: (carrier) => Object.keys(carrier as object),
  });
  const producerSpan = trace.getSpanContext(producer);
  const parent: Context = rt.linkMode === 'child' && producerSpan ? producer : ROOT_CONTEXT;
  const links: Link[] = rt.linkMode === 'link' && producerSpan ? [{ context: producerSpan }] : [];
  const span = rt.tracer.startSpan(
    `process ${info.jobName}`,
    { kind: SpanKind.CONSUMER, attributes: spanAttributes(info), links },
    parent,
  );
  const base = metricAttributes(info);
  recordStart(rt, info, base);
  return { span, context: trace.setSpan(parent, span), base, startedMs: rt.nowMs() };
}

function safely(task: () => void): void {
  try {
    task();
  } catch {
    // A broken exporter or instrument must not turn a finished attempt into a failed one.
  }
}

function spanAttributes(info: AttemptInfo): Attributes {
  return {
    [names.messagingSystem]: messagingSystem,
    [names.operationType]: 'process',
    [names.operationName]: 'process',
    [names.destinationName]: info.queue,
    [names.messageId]: info.runId,
    [names.clientId]: info.workerName,
    [names.jobName]: info.jobName,
    [names.attempt]: info.attempt,
    [names.maxAttempts]: info.maxAttempts,
    [names.origin]: info.origin,
    [names.workerName]: info.workerName,
  };
}

function metricAttributes(info: AttemptInfo): Attributes {
  return {
    [names.messagingSystem]: messagingSystem,
    [names.operationName]: 'process',
    [names.destinationName]: info.queue,
    [names.jobName]: info.jobName,
  };
}

function recordStart(rt: OtelRuntime, info: AttemptInfo, base: Attributes): void {
  rt.metrics.consumed.add(1, base);
  rt.metrics.activeAttempts.add(1, base);
  // Only the first attempt: later ones include the retry delay the policy chose on purpose.
  if (info.attempt !== 1) return;
  const waitedSeconds = Math.max(0, info.startedAt.getTime() - info.scheduledFor.getTime()) / 1000;
  rt.metrics.queueTime.record(waitedSeconds, { ...base, [names.origin]: info.origin });
  if (info.origin === 'cron') rt.metrics.scheduleLag.record(waitedSeconds, base);
}

function endAttempt(rt: OtelRuntime, started: StartedAttempt, ended: ClassifiedOutcome): void {
  const { span, base, startedMs } = started;
  const attributes: Attributes = { ...base, [names.outcome]: ended.outcome };
  if (ended.errorType !== undefined) attributes[names.errorType] = ended.errorType;
  span.setAttribute(names.outcome, ended.outcome);
  if (ended.errorType !== undefined) span.setAttribute(names.errorType, ended.errorType);
  if (ended.error !== undefined) span.recordException(toException(ended.error));
  if (ended.outcome === 'failed' || ended.outcome === 'retry') {
    span.setStatus({ code: SpanStatusCode.ERROR, message: ended.error?.message ?? ended.outcome });
  }
  span.end();
  rt.metrics.activeAttempts.add(-1, base);
  rt.metrics.attempts.add(1, attributes);
  rt.metrics.processDuration.record((rt.nowMs() - startedMs) / 1000, attributes);
}

function toException(error: RunError) {
  return {
    name: error.name,
    message: error.message,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
  };
}
