import { useEffect, useState } from 'preact/hooks';

// Hash routes (#/dead-letters?platform=meta): the gateway serves one HTML shell at `/`, and a page's filters
// survive a reload. Only ids and filters go in the hash — never the token.

export interface Route {
  page: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [page = '', query = ''] = raw.split('?', 2);
  return { page: page || 'overview', params: new URLSearchParams(query) };
}

export function href(page: string, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return `#/${page}${s ? `?${s}` : ''}`;
}

export function navigate(page: string, params: Record<string, string | undefined> = {}, replace = false): void {
  const target = href(page, params);
  if (replace) history.replaceState(null, '', target);
  else location.hash = target;
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export interface PageProps {
  params: URLSearchParams;
}
