import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plainArray, textArray, timeArray } from './postgres-array-literal.js';
import { resolveTestDatabase } from './test-support/test-database.js';

describe('array literals, without a database', () => {
  it('quotes every text element and writes null as NULL', () => {
    expect(textArray(['a', null, 'b c', ''])).toBe('{"a",NULL,"b c",""}');
    expect(plainArray([1, null, 2.5, true, false])).toBe('{1,NULL,2.5,t,f}');
    expect(timeArray([new Date(Date.UTC(2026, 10, 26, 1, 2, 3, 45)), null])).toBe(
      '{"2026-11-26T01:02:03.045Z",NULL}',
    );
  });

  it('refuses a number the database would read differently', () => {
    expect(() => plainArray([Number.NaN])).toThrow(RangeError);
    expect(() => plainArray([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});

const database = await resolveTestDatabase();

describe.skipIf(!database.url)('array literals, read back by PostgreSQL', () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    if (database.url) await database.stop();
  });

  it('round-trips text with quotes, backslashes, commas, braces, NULL, empty strings and unicode', async () => {
    const values = [
      'plain',
      'say "hi"',
      'C:\\path\\to',
      '\\"',
      'a,b',
      '{x}',
      'NULL',
      'null',
      '',
      ' padded ',
      'line\nbreak\ttab',
      'ünïcødé ✓ 🚀',
      '{"json":"with \\"escapes\\"","n":[1,2]}',
      null,
    ];
    const { rows } = await client.query<{ a: (string | null)[] }>('select $1::text[] as a', [
      textArray(values),
    ]);
    expect(rows[0]!.a).toEqual(values);
  });

  it('round-trips integers, floats, booleans, uuids and times', async () => {
    const ints = [0, -1, 2_147_483_647, null];
    const floats = [0.5, -1e-7, 123_456.789, null];
    const flags = [true, false, null];
    const ids = ['0190abcd-1234-7abc-8def-0123456789ab', null];
    const times = [new Date(Date.UTC(2026, 10, 26, 1, 2, 3, 45)), new Date(0), null];
    const { rows } = await client.query(
      'select $1::int[] as ints, $2::float8[] as floats, $3::boolean[] as flags, $4::uuid[] as ids, $5::timestamptz(3)[] as times',
      [plainArray(ints), plainArray(floats), plainArray(flags), textArray(ids), timeArray(times)],
    );
    expect(rows[0]).toEqual({ ints, floats, flags, ids, times });
  });
});
