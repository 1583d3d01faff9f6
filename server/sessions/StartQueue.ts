import PQueue from 'p-queue';

/** A learner waiting at "Start lab" goes before labs warmed ahead for nobody in particular. */
export type StartPriority = 'learner' | 'warm';

const PRIORITY: Record<StartPriority, number> = { learner: 1, warm: 0 };

/**
 * Lab creations (and wakes) run at most `concurrency` at a time. Ten learners pressing Start
 * together used to start thirty containers at once on a two-core host: every lab then finished
 * late. Queued, the first labs are ready early and the last no later than before.
 */
export class StartQueue {
  private readonly queue: PQueue;

  /** `concurrency` 0 means unbounded (every start at once, as without a queue). */
  constructor(readonly concurrency: number) {
    this.queue = new PQueue({ concurrency: concurrency > 0 ? concurrency : Number.POSITIVE_INFINITY });
  }

  /** Runs `work` in its turn; `id` names it for `promote`. Equal priorities go first come, first served. */
  run<T>(priority: StartPriority, work: () => Promise<T>, id?: string): Promise<T> {
    return this.queue.add(work, { priority: PRIORITY[priority], id });
  }

  /**
   * A warm lab still waiting for its turn now goes in a learner's turn (a learner waits for it),
   * behind the learners already waiting and ahead of those who come later. Nothing to do once it runs.
   */
  promote(id: string): void {
    try {
      this.queue.setPriority(id, PRIORITY.learner);
    } catch (error) {
      // Running or done: no longer in the queue.
      if (!(error instanceof ReferenceError)) throw error;
    }
  }

  /** Starts waiting for a free place. */
  get waiting(): number {
    return this.queue.size;
  }
}
