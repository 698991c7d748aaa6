import { CompiledQuery, type DatabaseConnection, type MysqlPool } from 'kysely';
import type { Connection, Pool, PoolConnection, TypeCast } from 'mysql2';

/**
 * How result values come back, whatever the pool's own settings: times and JSON as text, parsed by
 * the adapter. mysql2 would otherwise turn DATETIME into a `Date` in the pool's `timezone` (the
 * process's local zone by default) and parse JSON on MySQL 8 (and on MariaDB ≥ 10.5 through its
 * extended metadata) but not on older MariaDB, so the store would read different values from
 * different servers and pools.
 */
const textTypeCast: TypeCast = (field, next) => {
  if (
    field.type === 'DATETIME' ||
    field.type === 'TIMESTAMP' ||
    field.type === 'JSON' ||
    field.extendedFormat === 'json'
  ) {
    return field.string();
  }
  return next();
};

/**
 * Wraps a mysql2 pool for Kysely so that every query the store sends carries {@link textTypeCast}.
 * The pool itself is not changed (it may be the application's). Connections are wrapped once each,
 * so Kysely still recognises a connection it has seen (and runs `onCreateConnection` once per
 * connection, not per checkout). `end` is a no-op unless `ownsPool`: the store never ends a pool
 * it was given.
 */
export function wrapMySqlPool(pool: Pool, ownsPool: boolean): MysqlPool {
  const wrapped = new WeakMap<PoolConnection, MysqlPoolConnection>();
  return {
    getConnection(callback) {
      pool.getConnection((error, connection) => {
        if (error) return callback(error, undefined as never);
        let wrapper = wrapped.get(connection);
        if (!wrapper) {
          wrapper = wrapMySqlConnection(connection, () => connection.release());
          wrapped.set(connection, wrapper);
        }
        callback(null, wrapper);
      });
    },
    end(callback) {
      if (ownsPool) pool.end(callback);
      else callback(null);
    },
  };
}

type MysqlPoolConnection = Parameters<Parameters<MysqlPool['getConnection']>[0]>[1];

/**
 * A mysql2 connection (callback API) as Kysely's driver uses it, with {@link textTypeCast} on every
 * query; `release` says what giving it back means (to its pool, or nothing for a caller's own).
 */
export function wrapMySqlConnection(
  connection: Pick<Connection, 'query'>,
  release: () => void,
): MysqlPoolConnection {
  return {
    query(sql: string, parameters: readonly unknown[], callback?: (error: unknown, result: unknown) => void) {
      const options = { sql, values: parameters as unknown[], typeCast: textTypeCast };
      return callback
        ? connection.query(options, (error, result) => callback(error, result))
        : connection.query(options);
    },
    release,
  } as unknown as MysqlPoolConnection;
}

/**
 * Session settings of the store's own connections: UTC as the session time zone (so `NOW()` and
 * any `TIMESTAMP` conversion agree with the UTC values Durably writes, although its own SQL uses
 * `UTC_TIMESTAMP` and never depends on it), `READ COMMITTED` (InnoDB then takes no gap locks for
 * plain reads and updates, which keeps concurrent claims and enqueues from deadlocking on index
 * gaps), and strict mode (a value too long for its column is an error, never silently truncated).
 * Not applied to a pool the application passes in: its sessions are the application's.
 */
export async function setUpMySqlSession(connection: DatabaseConnection): Promise<void> {
  await connection.executeQuery(CompiledQuery.raw("set time_zone = '+00:00'"));
  await connection.executeQuery(CompiledQuery.raw('set session transaction isolation level read committed'));
  await connection.executeQuery(
    CompiledQuery.raw(
      "set session sql_mode = concat_ws(',', nullif(@@session.sql_mode, ''), 'STRICT_ALL_TABLES')",
    ),
  );
}
