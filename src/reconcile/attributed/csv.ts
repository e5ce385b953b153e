import { InputError } from '../../errors.js';
import { PLATFORM_NAMES, type PlatformName } from '../../event/names.js';
import { findColumn, readCsv } from '../csv.js';
import { parseIsoDate, type IsoDate } from '../dates.js';
import { parseAmount } from '../numbers.js';
import type { AttributedRow, AttributionWindow } from '../types.js';
import { parseMetaAttributionSetting } from './windows.js';

// Attributed conversions: the generic `platform,date,conversions,value[,currency]` CSV, or an ads-manager export
// read through the column names below (docs/RECONCILE.md "Attributed conversions" lists them). Header matching
// ignores case and repeated spaces.

const GENERIC = {
  platform: ['platform'],
  date: ['date'],
  conversions: ['conversions'],
  value: ['value'],
  currency: ['currency'],
};

interface ExportAliases {
  date: string[];
  end_date?: string[];
  conversions: string[];
  value: string[];
}

/** Column names of each ads manager's export; `conversions` is the column that identifies the platform. */
export const EXPORT_ALIASES: Partial<Record<PlatformName, ExportAliases>> = {
  meta: {
    date: ['Day', 'Reporting starts'],
    end_date: ['Reporting ends'],
    conversions: ['Purchases', 'Website purchases'],
    value: ['Purchases conversion value', 'Website purchases conversion value'],
  },
  tiktok: {
    date: ['Date', 'By Day', 'Day'],
    conversions: ['Complete Payment', 'Total Complete Payment', 'Complete payment events'],
    value: ['Total Complete Payment Value', 'Complete Payment Value', 'Total complete payment value (website)'],
  },
  pinterest: {
    date: ['Date', 'Day'],
    conversions: ['Total conversions (Checkout)', 'Checkouts'],
    value: ['Total order value (Checkout)', 'Checkout value'],
  },
};

/** Names a platform column may use for a platform. */
const PLATFORM_CELL_ALIASES: Record<string, PlatformName> = {
  facebook: 'meta',
  fb: 'meta',
  instagram: 'meta',
  'meta ads': 'meta',
  'tiktok ads': 'tiktok',
  'pinterest ads': 'pinterest',
  'google ads': 'google',
};

// A spend column names the account currency: Meta `Amount spent (USD)`, TikTok `Cost (USD)`, `Spend (EUR)`.
const CURRENCY_IN_HEADER = /\b(?:amount spent|cost|spend|total cost)\s*\(([a-z]{3})\)\s*$/i;

export interface AttributedFile {
  rows: AttributedRow[];
  /** Summary and blank rows left out (`Total`, …). */
  skipped_rows: number;
  /** The attribution setting the export itself states (Meta `Attribution setting`), when it states one. */
  stated_windows: Partial<Record<PlatformName, AttributionWindow>>;
}

function platformFromCell(value: string, path: string): PlatformName {
  const v = value.trim().toLowerCase();
  if ((PLATFORM_NAMES as readonly string[]).includes(v)) return v as PlatformName;
  const alias = PLATFORM_CELL_ALIASES[v];
  if (alias) return alias;
  throw new InputError(path, `unknown platform "${value}" (expected one of ${PLATFORM_NAMES.join(', ')})`, 'invalid_platform');
}

/** `2025-01-05`, `2025/01/05`, with or without a time after it. */
function exportDate(value: string, path: string): IsoDate {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[ T].*)?$/.exec(value.trim());
  if (!m) throw new InputError(path, `expected a date as YYYY-MM-DD, got "${value}"`, 'invalid_date');
  return parseIsoDate(`${m[1]}-${m[2]}-${m[3]}`, path);
}

export function readAttributedCsv(text: string, source: string, opts: { platform?: PlatformName } = {}): AttributedFile {
  const table = readCsv(text, source);
  const { header } = table;

  let inferred: PlatformName | undefined;
  let conversionsCol = findColumn(header, GENERIC.conversions);
  let aliases: ExportAliases | undefined;
  if (conversionsCol < 0) {
    for (const [platform, a] of Object.entries(EXPORT_ALIASES) as [PlatformName, ExportAliases][]) {
      const i = findColumn(header, a.conversions);
      if (i >= 0) {
        conversionsCol = i;
        inferred = platform;
        aliases = a;
        break;
      }
    }
  }
  if (conversionsCol < 0) {
    throw new InputError(source, 'no conversions column (expected "conversions" or an ads-manager purchase column, see docs/RECONCILE.md)', 'invalid_csv');
  }
  const platformCol = findColumn(header, GENERIC.platform);
  if (opts.platform && inferred && opts.platform !== inferred) {
    throw new InputError(source, `looks like a ${inferred} export, but the platform given is ${opts.platform}`, 'invalid_platform');
  }
  const filePlatform = opts.platform ?? inferred;
  if (platformCol < 0 && !filePlatform) {
    throw new InputError(source, 'cannot tell which platform this file is from: add a "platform" column or give the platform (--platform, or PLATFORM=FILE)', 'invalid_platform');
  }
  const dateCol = findColumn(header, [...GENERIC.date, ...(aliases?.date ?? []), 'day', 'reporting starts', 'by day']);
  if (dateCol < 0) throw new InputError(source, 'no date column (expected "date")', 'invalid_csv');
  const endCol = aliases?.end_date ? findColumn(header, aliases.end_date) : -1;
  const valueCol = findColumn(header, [...GENERIC.value, ...(aliases?.value ?? [])]);
  if (valueCol < 0) throw new InputError(source, 'no value column (expected "value" or the export\'s conversion value column)', 'invalid_csv');
  const currencyCol = findColumn(header, GENERIC.currency);
  const headerCurrency = header.map((h) => CURRENCY_IN_HEADER.exec(h)?.[1]).find((c) => c !== undefined)?.toUpperCase();
  const settingCol = findColumn(header, ['Attribution setting']);

  const rows: AttributedRow[] = [];
  const stated: AttributedFile['stated_windows'] = {};
  let skipped = 0;
  for (const { line, cells } of table.rows) {
    const at = (col: number) => `${source}:${line}.${header[col] ?? col}`;
    const dateCell = (cells[dateCol] ?? '').trim();
    // Exports end with a totals row (`Total`, `Total of 12 results`) or leave the date of a summary row empty.
    if (dateCell === '' || /^total/i.test(dateCell) || /^total/i.test((cells[0] ?? '').trim())) {
      skipped++;
      continue;
    }
    const platform = platformCol >= 0 && (cells[platformCol] ?? '').trim() !== ''
      ? platformFromCell(cells[platformCol] ?? '', at(platformCol))
      : filePlatform;
    if (!platform) throw new InputError(at(platformCol), 'empty platform', 'invalid_platform');
    const date = exportDate(dateCell, at(dateCol));
    const endCell = endCol >= 0 ? (cells[endCol] ?? '').trim() : '';
    const endDate = endCell ? exportDate(endCell, at(endCol)) : undefined;
    if (endDate !== undefined && endDate < date) throw new InputError(at(endCol), 'ends before it starts', 'invalid_date');
    const currencyCell = currencyCol >= 0 ? (cells[currencyCol] ?? '').trim().toUpperCase() : '';
    if (currencyCell && !/^[A-Z]{3}$/.test(currencyCell)) {
      throw new InputError(at(currencyCol), `expected a 3-letter currency code, got "${currencyCell}"`, 'invalid_currency');
    }
    const currency = currencyCell || headerCurrency;
    rows.push({
      platform,
      date,
      ...(endDate !== undefined && endDate !== date ? { end_date: endDate } : {}),
      conversions: parseAmount(cells[conversionsCol], at(conversionsCol)),
      value: parseAmount(cells[valueCol], at(valueCol)),
      ...(currency ? { currency } : {}),
      source: `${source}:${line}`,
    });
    if (settingCol >= 0 && !stated[platform]) {
      const w = parseMetaAttributionSetting(cells[settingCol] ?? '');
      if (w) stated[platform] = w;
    }
  }
  return { rows, skipped_rows: skipped, stated_windows: stated };
}
