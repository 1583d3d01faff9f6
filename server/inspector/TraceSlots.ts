/**
 * Bounds the host helpers packet traces run: one trace per learner (a new one stops the old and
 * starts only once the old one's helper has exited) and at most `hostLimit` at once on the host.
 */
export interface SlotHolder {
  stop(reason: string): void;
  readonly done: Promise<void>;
}

export class TraceSlots {
  private readonly byLearner = new Map<string, SlotHolder>();
  private running = 0;

  constructor(readonly hostLimit: number) {}

  /**
   * Makes `trace` the learner's only one: the previous one is stopped. Resolves once the
   * previous one's helper is gone, so two never run side by side.
   */
  claim(learnerId: string, trace: SlotHolder): Promise<void> {
    const previous = this.byLearner.get(learnerId);
    this.byLearner.set(learnerId, trace);
    void trace.done.finally(() => {
      if (this.byLearner.get(learnerId) === trace) this.byLearner.delete(learnerId);
    });
    if (!previous) return Promise.resolve();
    previous.stop('a new trace started');
    return previous.done;
  }

  /** Takes one of the host's helper places; false when all are in use. */
  take(): boolean {
    if (this.running >= this.hostLimit) return false;
    this.running++;
    return true;
  }

  release(): void {
    this.running = Math.max(0, this.running - 1);
  }

  /** Helpers running now (for tests and health). */
  get inUse(): number {
    return this.running;
  }
}
