import { useCallback, useEffect, useRef, useState } from 'react';

export interface Poll<T> {
  data: T | null;
  error: Error | null;
  /** Loads again now (after a change the user made). */
  reload(): void;
}

/**
 * Loads now and every `intervalMs` while the tab is visible; a hidden tab stops polling so
 * an admin page left open does not keep the server busy.
 */
export function usePoll<T>(load: (signal: AbortSignal) => Promise<T>, intervalMs: number): Poll<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    const controller = new AbortController();
    loadRef
      .current(controller.signal)
      .then((value) => {
        setData(value);
        setError(null);
      })
      .catch((e: Error) => controller.signal.aborted || setError(e));
    const timer = setTimeout(() => {
      if (document.visibilityState === 'visible') reload();
    }, intervalMs);
    const onVisible = () => document.visibilityState === 'visible' && reload();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [tick, intervalMs, reload]);

  return { data, error, reload };
}
