import pg from 'pg';

/**
 * One connection for a peer's "how many are done" polls, opened at the first poll and kept: a new
 * connection per 10 ms poll would add its set-up time to the peer's measured drain.
 */
export function createCountConnection(postgresUrl: string) {
  let client: Promise<pg.Client> | undefined;
  return {
    /** Runs `text`, which selects one integer column `n`. */
    async count(text: string): Promise<number> {
      client ??= (async () => {
        const opened = new pg.Client({ connectionString: postgresUrl });
        await opened.connect();
        return opened;
      })();
      const result = await (await client).query<{ n: number }>(text);
      return result.rows[0]!.n;
    },
    async close(): Promise<void> {
      const opened = client;
      client = undefined;
      if (opened) await (await opened).end();
    },
  };
}
