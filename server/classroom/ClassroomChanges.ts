/** Which learners changed since the last call; null: anything may have (a class was created or ended). */
export type ChangedLearners = ReadonlySet<string> | null;

/**
 * "Something a dashboard shows may have changed", for whom. Coalesced per tick, so a burst of
 * events (a class of 30 starting labs) becomes one dashboard update, which recomputes only the
 * learners named.
 */
export class ClassroomChanges {
  private readonly listeners = new Set<(changed: ChangedLearners) => void>();
  private pending: NodeJS.Timeout | undefined;
  private learners: Set<string> | null = new Set();

  // A quarter second: fresh enough for a person watching, and a busy class costs 4 updates a second, not 10.
  constructor(private readonly coalesceMs = 250) {}

  /** A learner's line may have changed; without an id, anything may have. */
  notify(learnerId?: string): void {
    if (learnerId === undefined) this.learners = null;
    else this.learners?.add(learnerId);
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      const changed = this.learners;
      this.learners = new Set();
      for (const listener of this.listeners) listener(changed);
    }, this.coalesceMs);
    this.pending.unref();
  }

  on(listener: (changed: ChangedLearners) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
