import { describe, expect, it } from 'vitest';
import { FINDING_CATALOG } from './finding-catalog.js';
import { formatReportTable } from './format-table.js';
import { READINESS_LABEL, type DiagnosticsReport } from './types.js';

describe('formatReportTable', () => {
  const report: DiagnosticsReport = {
    events: 4,
    readiness_label: READINESS_LABEL,
    platforms: {
      klaviyo: { destination_id: 'k', events: 4, sendable: 3, coverage: { email: 0.75, phone_number: null, external_id: 0 }, readiness: 3.8, by_event: {} },
    },
    warnings: [{ code: 'SERVER_IP', severity: 'error', count: 2, platforms: ['meta'], examples: ['o1', 'o2'], message: FINDING_CATALOG.SERVER_IP.message, fix: FINDING_CATALOG.SERVER_IP.fix }],
  };

  it('shows the label, the score, each key’s share and each finding with its fix', () => {
    const text = formatReportTable(report);
    expect(text).toContain(READINESS_LABEL);
    expect(text).toMatch(/klaviyo\s+4\s+3\s+3\.8\/10/);
    expect(text).toContain('email 75%  phone_number –  external_id 0%');
    expect(text).toContain('ERROR SERVER_IP: 2 events (meta), e.g. o1, o2');
    expect(text).toContain(`fix: ${FINDING_CATALOG.SERVER_IP.fix}`);
  });

  it('says so when there is nothing to report', () => {
    expect(formatReportTable({ ...report, warnings: [] })).toContain('No findings.');
  });
});
