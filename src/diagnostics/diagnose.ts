import type { PlatformName } from '../event/names.js';
import { PLATFORMS } from '../platforms/registry.js';
import { platformCoverage } from './coverage.js';
import { addIpVersionFindings, pairLegs } from './dedup.js';
import { FindingLedger } from './ledger.js';
import { gatewayWouldSend, platformWouldReceive } from './scope.js';
import { addSharedIpFindings } from './shared-ip.js';
import { addTimeFindings } from './time-findings.js';
import { READINESS_LABEL, type DedupReport, type DiagnosticInput, type DiagnosticsReport, type DiagnosticsScope } from './types.js';

export interface DiagnoseOptions {
  /** Unix seconds; the build time handed to the platform builders. */
  now: number;
}

/**
 * The whole diagnosis of a set of events: coverage and readiness per platform (and per event name), the
 * findings of the identity pass plus the ones that need time or several events, aggregated per code.
 */
export function diagnose(inputs: readonly DiagnosticInput[], scope: DiagnosticsScope, opts: DiagnoseOptions): DiagnosticsReport & { dedup: DedupReport } {
  const events = inputs.map((i) => i.event);
  const report: DiagnosticsReport = { events: inputs.length, readiness_label: READINESS_LABEL, platforms: {}, warnings: [] };

  // Which scoped platforms each event reaches through the gateway (findings are reported only there).
  const receivers: PlatformName[][] = inputs.map(() => []);
  const maxAge = new Map<PlatformName, number>();
  for (const { platform: name, settings } of scope.destinations) {
    const platform = PLATFORMS[name];
    if (platform.maxEventAgeSec !== undefined) maxAge.set(name, platform.maxEventAgeSec);
    const sendable = inputs.map((input, i) => {
      if (gatewayWouldSend(input, platform, settings)) receivers[i]!.push(name);
      return platformWouldReceive(input, platform, settings);
    });
    report.platforms[name] = platformCoverage(name, settings.id, events, sendable, settings, opts.now);
  }

  const ledger = new FindingLedger();
  inputs.forEach((input, index) => {
    for (const finding of input.event.findings) ledger.add(index, finding.code, finding.platforms);
  });
  // A platform's own rules (what it would drop without an error), for the events the gateway sends it.
  for (const { platform: name, settings } of scope.destinations) {
    const platform = PLATFORMS[name];
    if (!platform.lint) continue;
    inputs.forEach((input, index) => {
      if (!receivers[index]!.includes(name)) return;
      for (const finding of platform.lint!(input.event, settings)) ledger.add(index, finding.code, finding.platforms ?? [name]);
    });
  }
  addTimeFindings(inputs, maxAge, ledger);
  addSharedIpFindings(inputs, ledger);
  addIpVersionFindings(inputs, ledger);
  const dedup = pairLegs(inputs, scope, ledger);

  report.warnings = ledger.aggregate(
    (i) => receivers[i]!,
    (i) => inputs[i]!.event.event_id,
  );
  return { ...report, dedup };
}

/** True when a report holds an error-severity finding (`matchkey audit` exits 1). */
export function hasErrors(report: Pick<DiagnosticsReport, 'warnings'>): boolean {
  return report.warnings.some((w) => w.severity === 'error');
}
