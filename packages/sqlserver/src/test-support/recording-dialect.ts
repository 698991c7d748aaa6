import {
  MssqlAdapter,
  MssqlIntrospector,
  MssqlQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/** What the fake server answers to one statement (given its SQL with whitespace collapsed). */
export type Responder = (sql: string) => Partial<QueryResult<unknown>> | undefined;

/**
 * Kysely's SQL Server dialect with its real adapter and query compiler, but a driver that records
 * every compiled statement instead of sending it (there is no SQL Server on our machines). It
 * answers from `respond` (default: no rows, nothing affected), so a store call runs its whole path.
 */
export class RecordingMssqlDialect implements Dialect {
  readonly statements: string[] = [];
  respond: Responder = () => undefined;
  /** Answers to `select <time> as t` (the store reading the database clock). */
  readonly #clockRows = (text: string) =>
    /^select .* as "?t"?$/.test(text) ? { rows: [{ t: new Date('2026-01-01T00:00:30Z') }] } : undefined;

  createAdapter() {
    return new MssqlAdapter();
  }
  createQueryCompiler() {
    return new MssqlQueryCompiler();
  }
  // The Dialect interface itself takes Kysely<any>.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>) {
    return new MssqlIntrospector(db);
  }
  createDriver(): Driver {
    const record = (text: string) => this.statements.push(text);
    const connection: DatabaseConnection = {
      executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
        record(render(query));
        const text = query.sql.replace(/\s+/g, ' ').trim();
        const answer = this.respond(text) ?? this.#clockRows(text) ?? {};
        return { rows: [], numAffectedRows: 0n, ...answer } as QueryResult<R>;
      },
      streamQuery: () => {
        throw new Error('not recorded');
      },
    };
    return {
      init: async () => {},
      acquireConnection: async () => connection,
      beginTransaction: async () => void record('begin transaction'),
      commitTransaction: async () => void record('commit'),
      rollbackTransaction: async () => void record('rollback'),
      releaseConnection: async () => {},
      destroy: async () => {},
    };
  }

  /** The statements recorded since the last call, then forgets them. */
  take(filter: (statement: string) => boolean = () => true): string {
    const taken = this.statements.splice(0).filter(filter);
    return `\n${taken.join('\n\n')}\n`;
  }
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const wallClock = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** SQL text, whitespace collapsed, then its parameters (fresh UUIDs and wall-clock times masked). */
function render(query: CompiledQuery): string {
  const text = query.sql.replace(/\s+/g, ' ').trim();
  if (query.parameters.length === 0) return text;
  const parameters = query.parameters.map((value) => {
    if (typeof value === 'string' && uuid.test(value)) return '<uuid>';
    if (typeof value === 'string' && wallClock.test(value)) return '<now>';
    if (value instanceof Date) return '<date>';
    return value;
  });
  return `${text}\n  -- ${JSON.stringify(parameters)}`;
}
