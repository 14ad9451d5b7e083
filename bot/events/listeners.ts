/** Listeners by key (a conversation's sockets, an agent's streams), for a live subscriber to route to. */
export class Listeners<T> {
  private readonly byKey = new Map<string, Set<(v: T) => void>>();

  /** Adds one; the returned function removes it (and the key once it has none). */
  add(key: string, fn: (v: T) => void): () => void {
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.byKey.get(key) === set) this.byKey.delete(key);
    };
  }

  /** Calls every listener of the key; one that throws does not keep the value from the others. */
  emit(key: string, v: T, onError: (e: unknown) => void): void {
    const set = this.byKey.get(key);
    if (!set) return;
    for (const fn of set) {
      try {
        fn(v);
      } catch (e) {
        onError(e);
      }
    }
  }

  /** True while the key has a listener (an agent with a stream open on this instance). */
  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get size(): number {
    return this.byKey.size;
  }
}
