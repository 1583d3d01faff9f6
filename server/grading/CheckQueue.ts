/**
 * Checks running at once on this host, and whose turn is next. A class pressing Enter together
 * waits here rather than on the CPU, and the waiting are taken one learner at a time, in turn:
 * a learner whose checks are many or slow (probes waiting seconds for an answer) delays others
 * by at most one check each. Time spent waiting here is not the check's: its time limit starts
 * when it runs (GradingEngine), so a queue never turns into a learner's "took too long".
 *
 * p-queue (already a dependency) orders by priority, not in turn per key, hence this small one.
 */
export class CheckQueue {
  private running = 0;
  /** Waiting work per learner; the Map's order is whose turn comes next. */
  private readonly waiting = new Map<string, (() => void)[]>();

  /** `concurrency` 0: no limit. */
  constructor(readonly concurrency: number) {}

  /** Checks waiting for their turn, host-wide. */
  get waitingCount(): number {
    let n = 0;
    for (const list of this.waiting.values()) n += list.length;
    return n;
  }

  get runningCount(): number {
    return this.running;
  }

  /** Runs `work` when it is `learnerKey`'s turn and a place is free. */
  run<T>(learnerKey: string, work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        this.running += 1;
        void work()
          .then(resolve, reject)
          .finally(() => {
            this.running -= 1;
            this.next();
          });
      };
      const list = this.waiting.get(learnerKey);
      if (list) list.push(start);
      else this.waiting.set(learnerKey, [start]);
      this.next();
    });
  }

  private next(): void {
    while (this.concurrency === 0 || this.running < this.concurrency) {
      const first = this.waiting.entries().next();
      if (first.done) return;
      const [key, list] = first.value;
      const start = list.shift();
      // Taken off the front; a learner with more waiting goes to the back of the line.
      this.waiting.delete(key);
      if (list.length > 0) this.waiting.set(key, list);
      start?.();
    }
  }
}
