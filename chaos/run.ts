// `npm run chaos [-- --short] [-- --only kill,outage,…] [-- --no-write]`: every scenario in turn, each also runnable
// alone (`npx tsx chaos/<name>.ts [--short]`). Prints every figure, writes them with the machine and the date into
// docs/RELIABILITY.md (the generated section only), exits 1 when a promise broke.
import { join } from 'node:path';
import { ROOT } from '../bench/lib/gateway.js';
import { describeMachine, machineInfo } from '../bench/lib/machine.js';
import { table, writeSection } from '../bench/lib/report.js';
import { runCanaryPii } from './canary-pii.js';
import { runForgedWebhooks } from './forged-webhooks.js';
import { runFuzz } from './fuzz.js';
import { runKill } from './kill.js';
import { printResult, type ScenarioOptions, type ScenarioResult } from './lib/scenario.js';
import { runMalformed } from './malformed.js';
import { runOutage } from './outage.js';
import { runRateLimit } from './rate-limit.js';
import { runSigterm } from './sigterm.js';

const SCENARIOS: Record<string, (o: ScenarioOptions) => Promise<ScenarioResult>> = {
  kill: runKill,
  outage: runOutage,
  'rate-limit': runRateLimit,
  malformed: runMalformed,
  'forged-webhooks': runForgedWebhooks,
  'canary-pii': runCanaryPii,
  sigterm: runSigterm,
  fuzz: runFuzz,
};

export function renderReliability(results: ScenarioResult[], short: boolean, machine = machineInfo()): string {
  const lines = [
    `Last run: ${machine.date}${short ? ' (**--short**: scaled-down counts and durations)' : ''} on ${describeMachine(machine)}; load average at start ${machine.loadAverage.join(' / ')}.`,
    '',
    table(['#', 'scenario', 'verdict', 'time', 'load at start'], results.map((r, i) => [i + 1, r.title, r.ok ? 'held' : '**BROKEN**', `${r.seconds.toFixed(0)} s`, r.load])),
  ];
  for (const r of results) {
    lines.push('', `### ${r.id}: ${r.title}`, '', table(['measured', 'value'], Object.entries(r.figures).map(([k, v]) => [k, String(v).replaceAll('|', '/')])));
    if (r.failures.length) lines.push('', ...r.failures.map((f) => `- **broken:** ${f.replaceAll('|', '/')}`));
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const short = argv.includes('--short');
  const onlyArg = argv.find((a) => a.startsWith('--only'));
  const names = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : argv[argv.indexOf(onlyArg) + 1] ?? '').split(',') : Object.keys(SCENARIOS);
  for (const n of names) if (!SCENARIOS[n]) throw new Error(`unknown scenario "${n}" (scenarios: ${Object.keys(SCENARIOS).join(', ')})`);
  const machine = machineInfo();
  const log = (l: string): void => void process.stdout.write(`${l}\n`);
  log(`matchkey chaos${short ? ' (short)' : ''} — ${describeMachine(machine)}; load average ${machine.loadAverage.join(' / ')}`);
  const results: ScenarioResult[] = [];
  for (const name of names) {
    log(`\n== ${name}`);
    try {
      const r = await SCENARIOS[name]!({ short, log });
      results.push(r);
      printResult(r, log);
    } catch (err) {
      const r: ScenarioResult = { id: name, title: name, ok: false, figures: {}, failures: [`the scenario itself failed: ${(err as Error).stack ?? String(err)}`], seconds: 0, load: '' };
      results.push(r);
      printResult(r, log);
    }
  }
  if (!argv.includes('--no-write')) {
    const path = join(ROOT, 'docs/RELIABILITY.md');
    writeSection(path, 'chaos', renderReliability(results, short, machine), '# Reliability\n');
    log(`\nfigures written to ${path}`);
  }
  const broken = results.filter((r) => !r.ok);
  log(`\n${results.length - broken.length}/${results.length} scenarios held${broken.length ? `; broken: ${broken.map((r) => r.id).join(', ')}` : ''}`);
  return broken.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) process.exitCode = await main();
