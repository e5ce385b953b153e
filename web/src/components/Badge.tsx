const TONES: Record<string, string> = {
  delivered: 'good',
  pending: 'neutral',
  retrying: 'warn',
  skipped: 'neutral',
  rejected: 'bad',
  dead: 'bad',
  error: 'bad',
  warn: 'warn',
  info: 'neutral',
};

export function Badge({ value, label }: { value: string; label?: string }) {
  return <span class={`badge badge-${TONES[value] ?? 'neutral'}`}>{label ?? value}</span>;
}
