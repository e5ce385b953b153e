import { hostname } from 'node:os';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

// The embedded store is served by one gateway process at a time. `<db>.owner` names that process, so a gateway
// starting after a crash knows the leases in the file belong to no one and can send those rows at once,
// instead of waiting out a lease (60 s) that no live process holds. Several gateways on one database is the
// PostgreSQL store's job (docs/DEPLOYMENT.md).

export interface Owner {
  pid: number;
  host: string;
}

export function ownerPath(dbPath: string): string {
  return `${dbPath}.owner`;
}

export function readOwner(dbPath: string): Owner | null {
  try {
    const owner = JSON.parse(readFileSync(ownerPath(dbPath), 'utf8')) as Partial<Owner>;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? { pid: owner.pid, host: owner.host } : null;
  } catch {
    return null;
  }
}

/** Whether the recorded owner is a process still running on this host (another host's process cannot be checked). */
export function ownerAlive(owner: Owner): boolean {
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function writeOwner(dbPath: string): void {
  writeFileSync(ownerPath(dbPath), JSON.stringify({ pid: process.pid, host: hostname() } satisfies Owner), { mode: 0o600 });
}

/** Removes the owner file when it names this process. */
export function clearOwner(dbPath: string): void {
  const owner = readOwner(dbPath);
  if (owner && owner.pid === process.pid && owner.host === hostname()) rmSync(ownerPath(dbPath), { force: true });
}
