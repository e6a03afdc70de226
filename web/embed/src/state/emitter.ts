/**
 * Keyed change notifications: a component subscribes to the key it renders (one comment, the
 * root list, the session) and is re-rendered only when that key changes.
 */

export type Listener = () => void;

export interface Subscribable<Key> {
  subscribe(key: Key, listener: Listener): () => void;
}

export class Emitter<Key> implements Subscribable<Key> {
  private readonly listeners = new Map<Key, Set<Listener>>();

  subscribe(key: Key, listener: Listener): () => void {
    const set = this.listeners.get(key) || new Set<Listener>();
    this.listeners.set(key, set);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  emit(key: Key): void {
    (this.listeners.get(key) || []).forEach((listener) => listener());
  }

  emitAll(): void {
    this.listeners.forEach((set) => set.forEach((listener) => listener()));
  }
}
