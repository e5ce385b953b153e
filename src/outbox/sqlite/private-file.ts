import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';

// The outbox holds hashed identities, sealed contacts and order facts: readable by the gateway's user only. The
// database file is created 0600 before SQLite opens it, and SQLite creates its -wal and -shm files with the
// database file's permissions (https://www.sqlite.org/tempfiles.html); a file left 0644 by an older version is
// tightened, with its companions.

export function makePrivate(path: string): void {
  if (path === ':memory:' || path === '') return;
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}
