/**
 * "Something a dashboard shows may have changed." Coalesced per tick, so a burst of events
 * (a class of 30 starting labs) becomes one dashboard refresh.
 */
export class ClassroomChanges {
  private readonly listeners = new Set<() => void>();
  private pending: NodeJS.Timeout | undefined;

  constructor(private readonly coalesceMs = 100) {}

  notify(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      for (const listener of this.listeners) listener();
    }, this.coalesceMs);
    this.pending.unref();
  }

  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
