import { createBullmqAdapter } from './bullmq.js';
import { createDurablyAdapter } from './durably.js';
import { createGraphileWorkerAdapter } from './graphile-worker.js';
import type { PeerAdapter, PeerTarget } from './peer-adapter.js';
import { createPgBossAdapter } from './pg-boss.js';

import { SYSTEMS } from './systems.js';

/** Creates the adapter of one system; throws on an unknown name, listing the known ones. */
export function createAdapter(system: string, target: PeerTarget): PeerAdapter {
  switch (system) {
    case 'durably':
      return createDurablyAdapter(target);
    case 'graphile-worker':
      return createGraphileWorkerAdapter(target);
    case 'pg-boss':
      return createPgBossAdapter(target);
    case 'bullmq':
      return createBullmqAdapter(target);
    default:
      throw new Error(`unknown system '${system}': use one of ${SYSTEMS.join(', ')}`);
  }
}
