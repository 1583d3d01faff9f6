/**
 * Extra warm labs asked for by key (a class whose dashboard is open), each until a deadline:
 * how many labs of each kind to keep warm on top of the pool. `changed(labId)` is called whenever
 * that lab's total moves, a deadline passing included.
 */
export class WarmDemand {
  private readonly asks = new Map<string, { labId: string; count: number; timer: NodeJS.Timeout }>();

  constructor(private readonly changed: (labId: string) => void) {}

  /** Replaces `key`'s ask; a count of 0 or a past deadline withdraws it. */
  set(key: string, labId: string, count: number, until: number): void {
    const previous = this.asks.get(key);
    clearTimeout(previous?.timer);
    this.asks.delete(key);
    const forMs = until - Date.now();
    if (count > 0 && forMs > 0) {
      const timer = setTimeout(() => {
        this.asks.delete(key);
        this.changed(labId);
      }, forMs);
      timer.unref();
      this.asks.set(key, { labId, count, timer });
    }
    if (previous && previous.labId !== labId) this.changed(previous.labId);
    this.changed(labId);
  }

  /** Labs of `labId` asked for in all. */
  extra(labId: string): number {
    let extra = 0;
    for (const ask of this.asks.values()) if (ask.labId === labId) extra += ask.count;
    return extra;
  }

  clear(): void {
    for (const { timer } of this.asks.values()) clearTimeout(timer);
    this.asks.clear();
  }
}
