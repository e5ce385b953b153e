import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

// Live pages re-fetch on an interval instead of reloading: the last good answer stays on screen while the next
// one loads, and an error after a good answer is shown beside the data rather than replacing it.

export const POLL_MS = 5000;

export interface Polled<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  refresh: () => void;
}

export function usePoll<T>(load: (signal: AbortSignal) => Promise<T>, key: string, intervalMs: number | null = POLL_MS): Polled<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean; key: string }>({ loading: true, key });
  const loadRef = useRef(load);
  loadRef.current = load;
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    const run = async () => {
      controller = new AbortController();
      try {
        const data = await loadRef.current(controller.signal);
        if (!stopped) setState({ data, loading: false, key });
      } catch (err) {
        if (stopped || (err as Error).name === 'AbortError') return;
        setState((s) => ({ ...(s.key === key && s.data !== undefined ? { data: s.data } : {}), error: err as Error, loading: false, key }));
      }
      // A hidden tab does not poll; it catches up when shown again.
      if (!stopped && intervalMs !== null) timer = setTimeout(() => void (document.hidden ? waitVisible() : run()), intervalMs);
    };
    const waitVisible = () => {
      const onVisible = () => {
        if (document.hidden) return;
        document.removeEventListener('visibilitychange', onVisible);
        if (!stopped) void run();
      };
      document.addEventListener('visibilitychange', onVisible);
    };
    setState((s) => (s.key === key ? { ...s, loading: s.data === undefined } : { loading: true, key }));
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
    };
  }, [key, tick, intervalMs]);

  if (state.key !== key) return { data: undefined, error: undefined, loading: true, refresh };
  return { data: state.data, error: state.error, loading: state.loading, refresh };
}
