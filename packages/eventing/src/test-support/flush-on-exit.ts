// Run as its own process by `shutdown-flush.test.ts`: emits one event towards a server that fails
// the first request, awaits close(), then prints "closed". The process must neither exit before
// the retry (an idle event loop during backoff) nor hang afterwards (a leaked timer).
import { createHttpIngestionSink } from '../http-ingestion-sink.js';
import { succeededEvent } from './sample-events.js';

const sink = createHttpIngestionSink({
  tenantId: 't',
  clientSecret: 's',
  ingestionApiBaseUrl: process.argv[2],
  retryBaseDelayMs: 200,
  retryMaxDelayMs: 200,
});
sink.emit(succeededEvent(1));
await sink.close();
process.stdout.write(`closed ${JSON.stringify(sink.stats())}\n`);
