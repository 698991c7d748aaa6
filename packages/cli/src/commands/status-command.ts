import { runStatuses, type WorkerInfo } from '@durably/core';
import { writeJson, writeLine } from '../cli-io.js';
import type { CommandSpec } from '../command-spec.js';
import { formatTable, formatTime } from '../format-table.js';

/** Workers seen within this window are listed: 10 lease durations of the default 30 s. */
const workersSeenWithinMs = 5 * 60_000;
/** Schedules shown, soonest first. */
const schedulesShown = 20;

/** `durably status`: run counts by status, workers seen recently, the next schedules. */
export const statusCommand: CommandSpec = {
  name: 'status',
  summary: 'Run counts by status, workers seen in the last 5 minutes, next schedules',
  synopsis: '',
  async run({ session }) {
    const { store, schedules } = await session.services();
    const counts = await store.runCountByStatus({});
    const workers = await store.workerList({ seenWithinMs: workersSeenWithinMs });
    const views = (await schedules.list({ includeDisabled: true, upcomingCount: 1 }))
      .sort((a, b) => (a.nextRunAt?.getTime() ?? Infinity) - (b.nextRunAt?.getTime() ?? Infinity))
      .slice(0, schedulesShown);
    const nextSchedules = views.map((view) => ({
      jobName: view.jobName,
      cron: view.cron,
      timeZone: view.timeZone,
      enabled: view.enabled,
      nextRunAt: view.nextRunAt,
      lastError: view.lastError,
    }));
    if (session.flags.json) {
      writeJson(session.io.stdout, { provider: store.provider, counts, workers, schedules: nextSchedules });
      return;
    }
    const out = session.io.stdout;
    writeLine(out, `Runs (${store.provider})`);
    out.write(
      formatTable(
        ['status', 'count'],
        runStatuses.map((status) => [status, String(counts[status] ?? 0)]),
      ),
    );
    writeLine(out);
    writeLine(out, 'Workers seen in the last 5 minutes');
    out.write(formatTable(['worker', 'active', 'queues', 'started', 'last seen'], workers.map(workerRow)));
    writeLine(out);
    writeLine(out, 'Next schedules');
    out.write(
      formatTable(
        ['job', 'next run', 'cron', 'zone', 'state'],
        nextSchedules.map((s) => [
          s.jobName,
          formatTime(s.nextRunAt),
          s.cron,
          s.timeZone,
          s.lastError ? `paused: ${s.lastError}` : s.enabled ? 'enabled' : 'disabled',
        ]),
      ),
    );
  },
};

function workerRow(worker: WorkerInfo): string[] {
  return [
    worker.workerName,
    String(worker.activeRuns),
    worker.queues?.join(',') ?? 'all',
    formatTime(worker.startedAt),
    formatTime(worker.lastSeenAt),
  ];
}
