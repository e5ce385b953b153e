import { PLATFORM_NAMES } from '../event/names.js';
import type { DiagnosticsReport } from './types.js';
import { WIRE_KEYS } from './wire-keys.js';

const pct = (share: number | null | undefined) => (share === null || share === undefined ? '–' : `${Math.round(share * 100)}%`);

/** The human-readable audit report: per-platform readiness and key coverage, then findings with their fixes. */
export function formatReportTable(report: DiagnosticsReport): string {
  const lines: string[] = [];
  lines.push(`${report.events} event${report.events === 1 ? '' : 's'}`, '');
  lines.push(report.readiness_label);
  lines.push(`  ${'platform'.padEnd(10)} ${'events'.padStart(7)} ${'sendable'.padStart(9)}  readiness`);
  for (const name of PLATFORM_NAMES) {
    const p = report.platforms[name];
    if (!p) continue;
    const score = p.readiness === null ? '–' : `${p.readiness.toFixed(1)}/10`;
    lines.push(`  ${name.padEnd(10)} ${String(p.events).padStart(7)} ${String(p.sendable).padStart(9)}  ${score}`);
  }
  lines.push('', 'Key coverage (share of sendable events whose request carried the key)');
  for (const name of PLATFORM_NAMES) {
    const p = report.platforms[name];
    if (!p) continue;
    lines.push(`  ${name.padEnd(10)} ${WIRE_KEYS[name].map((k) => `${k} ${pct(p.coverage[k])}`).join('  ')}`);
  }
  lines.push('');
  if (report.warnings.length === 0) {
    lines.push('No findings.');
  } else {
    lines.push('Findings');
    for (const f of report.warnings) {
      const where = f.platforms.length > 0 ? ` (${f.platforms.join(', ')})` : '';
      lines.push(`  ${f.severity.toUpperCase().padEnd(5)} ${f.code}: ${f.count} event${f.count === 1 ? '' : 's'}${where}, e.g. ${f.examples.join(', ')}`);
      lines.push(`        ${f.message}`);
      lines.push(`        fix: ${f.fix}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
