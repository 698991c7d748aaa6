import {
  FetchNode,
  OperationNodeTransformer,
  OutputNode,
  RawNode,
  ReferenceNode,
  SelectAllNode,
  SelectionNode,
  TableNode,
  ValueNode,
  type InsertQueryNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type ReturningNode,
  type RootOperationNode,
  type SelectModifierNode,
  type SelectQueryNode,
  type UnknownRow,
  type UpdateQueryNode,
  TopNode,
} from 'kysely';

/**
 * Translates the portable SQL the shared store builds into T-SQL, so `@durably/sql` stays free of
 * SQL Server branches (each rule is covered by the statement tests):
 * - `LIMIT n` → `TOP(n)`; `OFFSET m LIMIT n` → `OFFSET m ROWS FETCH NEXT n ROWS ONLY`;
 * - `FOR UPDATE [SKIP LOCKED]` → table hints `WITH (UPDLOCK, [READPAST,] ROWLOCK)` on the table
 *   read: an update lock on exactly the rows returned, skipping rows other sessions have locked;
 * - `RETURNING …` → `OUTPUT inserted.…` (so the adapter can declare `supportsReturning`);
 * - a bound `Date` → `CAST(@p AS datetime2(6))` of its ISO text (never the lossy `datetime`);
 * - `ON CONFLICT` has no T-SQL form: such a statement is refused with an error naming the table
 *   (the adapter's `insertRunRows`, and `insertIgnoringDuplicates` without `supportsOnConflict`,
 *   never build one), so a new shared
 *   statement cannot silently lose its conflict handling.
 */
export class SqlServerCompatPlugin implements KyselyPlugin {
  readonly #transformer = new SqlServerCompatTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = this.#transformer.transformNode(args.node, args.queryId);
    if (node.kind !== 'InsertQueryNode' || !(node as InsertQueryNode).onConflict) return node;
    const insert = node as InsertQueryNode;
    const table = insert.into?.table;
    const name = table ? [table.schema?.name, table.identifier.name].filter(Boolean).join('.') : '';
    throw new Error(
      `SQL Server store: T-SQL has no ON CONFLICT (insert into ${name || 'a table'}); handle duplicates in the adapter.`,
    );
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

class SqlServerCompatTransformer extends OperationNodeTransformer {
  /**
   * A bound `Date` (a time read back and written again, e.g. an attempt's start) becomes ISO text
   * cast to `datetime2(6)`: Kysely's tedious driver binds a `Date` as `datetime`, which rounds to
   * 1/300 s.
   */
  protected override transformValue(node: ValueNode, queryId?: QueryId): ValueNode {
    const value = super.transformValue(node, queryId);
    if (!(value.value instanceof Date)) return value;
    const text = ValueNode.create(value.value.toISOString().slice(0, 23));
    return RawNode.create(['cast(', ' as datetime2(6))'], [text]) as unknown as ValueNode;
  }

  protected override transformSelectQuery(node: SelectQueryNode, queryId?: QueryId): SelectQueryNode {
    const select = super.transformSelectQuery(node, queryId);
    return withLockHints(withTopOrFetch(select));
  }

  protected override transformUpdateQuery(node: UpdateQueryNode, queryId?: QueryId): UpdateQueryNode {
    const update = super.transformUpdateQuery(node, queryId);
    return update.returning
      ? { ...update, returning: undefined, output: toOutput(update.returning) }
      : update;
  }

  protected override transformInsertQuery(node: InsertQueryNode, queryId?: QueryId): InsertQueryNode {
    const insert = super.transformInsertQuery(node, queryId);
    return insert.returning
      ? { ...insert, returning: undefined, output: toOutput(insert.returning) }
      : insert;
  }
}

function withTopOrFetch(node: SelectQueryNode): SelectQueryNode {
  if (!node.limit) return node;
  const count = ValueNode.is(node.limit.limit) ? node.limit.limit.value : undefined;
  if (typeof count !== 'number' && typeof count !== 'bigint') {
    throw new Error('SQL Server store: a LIMIT must be a number to become TOP or FETCH.');
  }
  if (node.offset) return { ...node, limit: undefined, fetch: FetchNode.create(count, 'only') };
  return { ...node, limit: undefined, top: TopNode.create(count) };
}

function withLockHints(node: SelectQueryNode): SelectQueryNode {
  const modifiers = node.endModifiers ?? [];
  const has = (modifier: SelectModifierNode['modifier']) => modifiers.some((m) => m.modifier === modifier);
  if (!has('ForUpdate') || !node.from) return node;
  const hints = has('SkipLocked') ? 'updlock, readpast, rowlock' : 'updlock, rowlock';
  const [first, ...rest] = node.from.froms;
  const hinted = RawNode.create(['', ` with (${hints})`], [first as OperationNode]);
  const remaining = modifiers.filter((m) => m.modifier !== 'ForUpdate' && m.modifier !== 'SkipLocked');
  return {
    ...node,
    from: { ...node.from, froms: [hinted, ...rest] },
    endModifiers: remaining.length > 0 ? remaining : undefined,
  };
}

function toOutput(returning: ReturningNode): OutputNode {
  const inserted = TableNode.create('inserted');
  return OutputNode.create(
    returning.selections.map((selection) => {
      const inner = selection.selection;
      if (SelectAllNode.is(inner)) return SelectionNode.createSelectAllFromTable(inserted);
      if (ReferenceNode.is(inner) && inner.column.kind === 'ColumnNode') {
        return SelectionNode.create(ReferenceNode.create(inner.column, inserted));
      }
      throw new Error('SQL Server store: RETURNING supports plain columns and * only.');
    }),
  );
}
