/**
 * A list the API serves a page at a time (stories, users, mail): the first page is loaded again
 * whenever `deps` change (a new filter), "Load more" appends the next one, and an answer that
 * arrives after a newer request started is dropped.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

export function usePagedList<T>(
  fetchPage: (cursor: string | null, signal?: AbortSignal) => Promise<Page<T>>,
  deps: readonly unknown[],
) {
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const request = useRef(0);

  const load = async (cursor: string | null, signal?: AbortSignal) => {
    const id = ++request.current;
    setLoading(true);
    try {
      const page = await fetchPage(cursor, signal);
      if (id !== request.current) return;
      setItems((current) => (cursor ? [...current, ...page.items] : [...page.items]));
      setNextCursor(page.nextCursor);
      setError(null);
    } catch (failure) {
      if (!isAbort(failure) && id === request.current) setError(describeError(failure));
    } finally {
      if (id === request.current) setLoading(false);
    }
  };

  useEffect(() => {
    const controller = new AbortController();
    setItems([]);
    void load(null, controller.signal);
    return () => controller.abort();
  }, deps);

  return {
    items,
    nextCursor,
    loading,
    error,
    loadMore: () => (nextCursor ? load(nextCursor) : Promise.resolve()),
    /** Puts an item the API changed in the place of the one with its id. */
    replace: (item: T & { id: string }) =>
      setItems((current) =>
        current.map((other) => ((other as T & { id: string }).id === item.id ? item : other)),
      ),
  };
}
