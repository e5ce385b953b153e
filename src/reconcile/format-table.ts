import type { PlatformName } from '../event/names.js';
import { accountingLine } from './orders/summary.js';
import type { ReconcileReport } from './report.js';

// The human-readable report of `matchkey reconcile` (without --json).

function money(n: number | null, currency: string | null): string {
  if (n === null) return '—';
  const text = n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency ? `${text} ${currency}` : text;
}

function pct(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}

/** Left-aligned columns separated by two spaces. */
export function alignColumns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

export function formatReport(report: ReconcileReport): string {
  const out: string[] = [];
  const { window: w, orders_of_record: o } = report;
  out.push(`Reconciliation ${w.from} … ${w.to} (UTC days, paid time), as of ${w.as_of}`, '');
  out.push(`Orders of record (${o.source})`);
  out.push(`  read          ${accountingLine(o)}`);
  out.push(`  kept          ${o.count} orders`);
  for (const [cur, t] of Object.entries(o.by_currency)) {
    const main = cur === o.currency ? ' (main currency)' : ' (not added to any other currency)';
    out.push(`    in ${cur}      ${t.count} orders · revenue ${money(t.revenue, cur)}${Object.keys(o.by_currency).length > 1 ? main : ''}`);
  }
  out.push(`  refunded      ${money(o.refunded_amount, o.currency)} on ${o.partially_refunded} partially refunded order(s) kept at their total`);
  out.push(
    `  left out      ${o.excluded.test} test · ${o.excluded.cancelled} cancelled · ${o.excluded.unknown_status} unknown status` +
      ` · ${o.excluded.unpaid} unpaid · ${o.excluded.refunded} fully refunded`,
  );
  out.push(`  outside       ${o.outside_window} paid (or, never paid, placed) outside the window`);
  out.push('');

  const platforms = Object.entries(report.platforms) as [PlatformName, NonNullable<ReconcileReport['platforms'][PlatformName]>][];
  out.push('Attributed by each platform (a share of the orders of record)');
  if (platforms.length === 0) {
    out.push('  (no attributed conversions given: --attributed FILE or --attributed platforms)');
  } else {
    const rows = [['  platform', 'window', 'conversions', 'value', 'share', 'value share', 'immature days', 'mature share', 'rows out of window']];
    for (const [name, p] of platforms) {
      rows.push([
        `  ${name}`,
        p.attribution_window + (p.attribution_window_source === 'default' ? '' : ` (${p.attribution_window_source})`),
        String(p.attributed_conversions),
        p.attributed_value === null ? 'mixed currencies' : money(p.attributed_value, p.currency),
        pct(p.share),
        pct(p.value_share),
        p.immature_days === 0 ? '0' : `${p.immature_days} from ${p.immature_from}`,
        `${pct(p.mature.share)} (${p.mature.attributed_conversions}/${p.mature.orders_of_record})`,
        String(p.rows_outside_window),
      ]);
    }
    out.push(...alignColumns(rows));
    for (const [name, p] of platforms) {
      for (const r of p.pulled ?? []) out.push(`  ${name}: read ${r.endpoint} (${r.destination_id}), window ${r.attribution_window} — ${r.window_source === 'requested' ? 'requested' : 'the account\'s setting'}: ${r.window_detail}`);
    }
    for (const [name, p] of platforms) for (const n of p.notes) out.push(`  ${name}: ${n}`);
  }
  for (const f of report.attributed_pull?.failed ?? []) out.push(`  ${f.platform} (${f.destination_id}): NOT READ — ${f.error.kind} ${f.error.code}: ${f.error.message}`);
  for (const s of report.attributed_pull?.skipped ?? []) out.push(`  ${s.platform} (${s.destination_id}): not read — ${s.reason}`);
  out.push('');

  const pulledPlatforms = platforms.filter(([, p]) => p.pulled);
  if (pulledPlatforms.length > 0) {
    out.push('Per day: orders of record and what each platform attributed to the day (each in its own window, never added up)');
    const rows = [['  date', 'orders', ...pulledPlatforms.map(([name, p]) => `${name} ${p.attribution_window}`)]];
    const days = pulledPlatforms[0]![1].by_day;
    days.forEach((d, i) => {
      rows.push([`  ${d.date}`, String(d.orders_of_record), ...pulledPlatforms.map(([, p]) => {
        const day = p.by_day[i]!;
        return day.attributed_value === null ? String(day.attributed_conversions) : `${day.attributed_conversions} (${money(day.attributed_value, p.currency)})`;
      })]);
    });
    out.push(...alignColumns(rows), '');
  }

  const delivery = Object.entries(report.delivery) as [PlatformName, NonNullable<ReconcileReport['delivery'][PlatformName]>][];
  if (report.delivery_available) {
    out.push('Delivered by the gateway (purchases of the window)');
    if (delivery.length === 0) {
      out.push('  (no purchase deliveries in the window)');
    } else {
      const rows = [['  platform', 'sent', 'accepted', 'rejected', 'dead', 'pending', 'skipped', 'not received', 'accepted share']];
      for (const [name, d] of delivery) {
        const reasons = Object.entries(d.skipped_reasons).map(([k, v]) => `${k} ${v}`).join(', ');
        rows.push([
          `  ${name}`,
          String(d.sent),
          String(d.accepted),
          String(d.rejected),
          String(d.dead),
          String(d.pending),
          reasons ? `${d.skipped} (${reasons})` : String(d.skipped),
          String(d.not_received),
          pct(d.accepted_share),
        ]);
      }
      out.push(...alignColumns(rows));
      for (const [name, d] of delivery) {
        if (d.never_accepted_total === 0) continue;
        out.push(`  never accepted by ${name} (${d.never_accepted_total}):`);
        for (const n of d.never_accepted.slice(0, 20)) out.push(`    ${n.name ?? n.order_id}  ${n.status}  ${n.reason}`);
        if (d.never_accepted_total > 20) out.push(`    … ${d.never_accepted_total - 20} more (--json lists them)`);
      }
    }
    out.push('');
  }

  out.push(`Note: ${report.note}`);
  for (const n of report.notes) out.push(`Note: ${n}`);
  return `${out.join('\n')}\n`;
}
