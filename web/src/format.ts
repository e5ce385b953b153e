// Display formatting, one place: numbers with separators, shares as percentages, times in the viewer's zone.

const integer = new Intl.NumberFormat('en-US');

export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : integer.format(n);
}

export function percent(share: number | null | undefined, digits = 0): string {
  return share === null || share === undefined ? '—' : `${(share * 100).toFixed(digits)}%`;
}

export function money(value: number | null | undefined, currency: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (!currency) return value.toFixed(2);
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

/** 45 s, 12 min, 3.5 h, 2.1 d. */
export function duration(ms: number): string {
  if (ms <= 0) return '—';
  const s = ms / 1000;
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 36 * 3600) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}

export function dateTime(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return new Date(ms).toLocaleString('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function unixSeconds(s: number): string {
  return dateTime(s * 1000);
}

/** `2026-05-01T10:00` from a datetime-local input → ISO with the viewer's offset applied. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

export const PLATFORM_LABELS: Record<string, string> = {
  meta: 'Meta',
  tiktok: 'TikTok',
  pinterest: 'Pinterest',
  google: 'Google Ads',
  klaviyo: 'Klaviyo',
  ga4: 'Google Analytics 4',
  snapchat: 'Snapchat',
  microsoft: 'Microsoft Ads',
  reddit: 'Reddit',
};

export function platformLabel(p: string): string {
  return PLATFORM_LABELS[p] ?? p;
}
