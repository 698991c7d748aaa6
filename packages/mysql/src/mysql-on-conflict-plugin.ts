import {
  InsertQueryNode,
  OrActionNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/**
 * Translates the shared store's `INSERT … ON CONFLICT DO NOTHING` (schedules, worker beats), which
 * MySQL does not have, into `INSERT IGNORE`. Not `ON DUPLICATE KEY UPDATE x = x`: mysql2 connects
 * with CLIENT_FOUND_ROWS (which the shared updates rely on: "rows matched", as on PostgreSQL), and
 * with it a skipped duplicate also reports one affected row, so "inserted or not" would be lost.
 * `IGNORE` also downgrades other errors to warnings; the statements it applies to write values the
 * store validated itself (names, JSON text, times), and strict mode is on for the store's sessions.
 * Run inserts do not pass through here: `insertMySqlRuns` handles conflicts itself.
 */
export class MySqlOnConflictPlugin implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (!InsertQueryNode.is(node) || !node.onConflict?.doNothing) return node;
    return { ...node, onConflict: undefined, orAction: OrActionNode.create('ignore') } as InsertQueryNode;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
