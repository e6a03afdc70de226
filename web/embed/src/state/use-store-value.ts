/**
 * Hook that reads one key of a Subscribable store and re-renders the calling component when,
 * and only when, the value it reads for that key changes.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Subscribable } from './emitter.js';

export function useStoreValue<Key, Value>(
  store: Subscribable<Key>,
  key: Key,
  read: () => Value,
): Value {
  const [, setVersion] = useState(0);
  const value = read();
  const rendered = useRef(value);
  rendered.current = value;

  useEffect(() => {
    const rerenderIfChanged = () => {
      if (read() !== rendered.current) setVersion((version) => version + 1);
    };
    const unsubscribe = store.subscribe(key, rerenderIfChanged);
    rerenderIfChanged();
    return unsubscribe;
  }, [store, key]);

  return value;
}
