import { readdirSync, readFileSync } from 'node:fs';

// Both stores keep numbered migrations as `NNN_name.sql` files in their own ./migrations folder; each applies
// them its own way (migrate.ts beside it), but they are read the same way.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The `NNN_name.sql` files of `dir`, in version order. */
export function readMigrationFiles(dir: URL): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .map((file) => {
      const match = /^(\d+)_(.+)\.sql$/.exec(file)!;
      return { version: Number(match[1]), name: match[2]!, sql: readFileSync(new URL(file, dir), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
}
