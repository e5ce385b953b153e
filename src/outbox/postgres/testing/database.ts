import { randomBytes } from 'node:crypto';
import pg from 'pg';

// A throw-away database per test run or benchmark on the machine's PostgreSQL (trust auth on 127.0.0.1; CI starts
// the server). Unreachable PostgreSQL is an error, never a skip: the PostgreSQL store would otherwise go untested.

export const ADMIN_URL = process.env.MATCHKEY_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface ScratchDatabase {
  /** Connection URL of the new database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(prefix = 'matchkey_test'): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${ADMIN_URL} (set MATCHKEY_TEST_PG_URL; .ci/run starts the server): ${(err as Error).message}`);
  }
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        // pg's Pool.end() resolves once it has asked its connections to close, not once they have: a FORCE drop
        // right after it can terminate a backend that has not yet read the client's goodbye, and that backend's
        // "terminating connection" message then reaches an idle client as an error event (an uncaught one on a pool
        // without an error listener). So wait for the test's own connections to go (55006: still in use), and FORCE
        // only those left by a process that was killed.
        for (const deadline = Date.now() + 3000; ; ) {
          try {
            await client.query(`DROP DATABASE IF EXISTS ${name}`);
            return;
          } catch (err) {
            if ((err as { code?: string }).code !== '55006' || Date.now() > deadline) break;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
