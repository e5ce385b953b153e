import type { FunctionComponent } from 'preact';
import { Alerts } from '../pages/Alerts';
import { DeadLetters } from '../pages/DeadLetters';
import { Dedup } from '../pages/Dedup';
import { Findings } from '../pages/Findings';
import { Inspector } from '../pages/Inspector';
import { MatchKeys } from '../pages/MatchKeys';
import { Overview } from '../pages/Overview';
import { Reconciliation } from '../pages/Reconciliation';
import { href, type PageProps } from '../router';

export const PAGES: { id: string; title: string; component: FunctionComponent<PageProps> }[] = [
  { id: 'overview', title: 'Overview', component: Overview },
  { id: 'match-keys', title: 'Match keys', component: MatchKeys },
  { id: 'findings', title: 'Findings', component: Findings },
  { id: 'inspector', title: 'Event inspector', component: Inspector },
  { id: 'dead-letters', title: 'Dead letters', component: DeadLetters },
  { id: 'dedup', title: 'Dedup', component: Dedup },
  { id: 'reconciliation', title: 'Reconciliation', component: Reconciliation },
  { id: 'alerts', title: 'Alerts', component: Alerts },
];

export function Nav({ current, onSignOut }: { current: string; onSignOut: () => void }) {
  return (
    <nav class="nav" aria-label="Dashboard pages">
      <a class="brand" href={href('overview')}>
        <span class="brand-mark" aria-hidden="true">◆</span> Matchkey
      </a>
      <ul class="nav-list">
        {PAGES.map((p) => (
          <li key={p.id}>
            <a href={href(p.id)} class={p.id === current ? 'active' : ''} aria-current={p.id === current ? 'page' : undefined}>
              {p.title}
            </a>
          </li>
        ))}
      </ul>
      <button type="button" class="button button-ghost sign-out" onClick={onSignOut}>
        Sign out
      </button>
    </nav>
  );
}
