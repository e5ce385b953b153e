import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawnGateway, writeGatewayConfig, type DestinationName, type GatewayProcess } from '../../bench/lib/gateway.js';
import { loadNow } from '../../bench/lib/machine.js';

// What every chaos scenario returns, and the few things they all do: a scratch directory, the gateway as a real
// child process on SQLite logging into that directory, and a command-line entry (`npx tsx chaos/<name>.ts`).

export interface ScenarioResult {
  id: string;
  title: string;
  /** true when every promise held. */
  ok: boolean;
  /** What was measured, for the report (name → value). */
  figures: Record<string, string | number>;
  /** Each broken promise, said precisely. */
  failures: string[];
  seconds: number;
  load: string;
}

export interface ScenarioOptions {
  short: boolean;
  log?: (line: string) => void;
  /** Keep the scratch directory (database, logs) for inspection. */
  keep?: boolean;
}

export class Outcome {
  readonly figures: Record<string, string | number> = {};
  readonly failures: string[] = [];
  private readonly started = performance.now();
  private readonly load = loadNow();

  constructor(
    readonly id: string,
    readonly title: string,
  ) {}

  figure(name: string, value: string | number): void {
    this.figures[name] = value;
  }

  /** Records a broken promise unless `holds`. */
  expect(holds: boolean, failure: string): void {
    if (!holds) this.failures.push(failure);
  }

  result(): ScenarioResult {
    return { id: this.id, title: this.title, ok: this.failures.length === 0, figures: this.figures, failures: this.failures, seconds: (performance.now() - this.started) / 1000, load: this.load };
  }
}

export function scratch(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `mk-chaos-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ChaosGatewayOptions {
  dir: string;
  simUrl: string;
  platforms: readonly DestinationName[];
  port?: number;
  logLevel?: string;
  extra?: Record<string, unknown>;
}

/** Writes the config once (same port on every restart, so senders keep their address) and starts the gateway. */
export function chaosGateway(o: ChaosGatewayOptions): { dbPath: string; logPath: string; start(): Promise<GatewayProcess> } {
  const dbPath = join(o.dir, 'matchkey.db');
  const logPath = join(o.dir, 'gateway.log');
  const configPath = writeGatewayConfig(o.dir, { storageUrl: `sqlite:${dbPath}`, simUrl: o.simUrl, platforms: o.platforms, ...(o.port ? { port: o.port } : {}), ...(o.extra ? { extra: o.extra } : {}) });
  return { dbPath, logPath, start: () => spawnGateway({ configPath, logPath, logLevel: o.logLevel ?? 'info' }) };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitUntil(probe: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

export function printResult(r: ScenarioResult, log: (line: string) => void = (l) => void process.stdout.write(`${l}\n`)): void {
  log(`${r.ok ? 'PASS' : 'FAIL'} ${r.id} — ${r.title} (${r.seconds.toFixed(1)} s, load ${r.load})`);
  for (const [k, v] of Object.entries(r.figures)) log(`    ${k}: ${v}`);
  for (const f of r.failures) log(`  ✗ ${f}`);
}

/** `npx tsx chaos/<name>.ts [--short] [--keep]`: runs the scenario alone and exits 1 when a promise broke. */
export async function runAlone(moduleUrl: string, run: (o: ScenarioOptions) => Promise<ScenarioResult>): Promise<void> {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const result = await run({ short: process.argv.includes('--short'), keep: process.argv.includes('--keep'), log: (l) => void process.stdout.write(`${l}\n`) });
  printResult(result);
  process.exit(result.ok ? 0 : 1);
}
