import type { ComponentChildren } from 'preact';

export function Card({ title, aside, children, class: extra }: { title?: string; aside?: ComponentChildren; children: ComponentChildren; class?: string }) {
  return (
    <section class={`card ${extra ?? ''}`}>
      {title || aside ? (
        <header class="card-head">
          {title ? <h2>{title}</h2> : null}
          {aside}
        </header>
      ) : null}
      {children}
    </section>
  );
}

export function Stat({ label, value, hint, tone }: { label: string; value: string; hint?: string; tone?: 'good' | 'warn' | 'bad' }) {
  return (
    <div class={`stat ${tone ? `stat-${tone}` : ''}`}>
      <span class="stat-label">{label}</span>
      <span class="stat-value">{value}</span>
      {hint ? <span class="stat-hint">{hint}</span> : null}
    </div>
  );
}
