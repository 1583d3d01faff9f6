import PQueue from 'p-queue';

/** A learner waiting at "Start lab" goes before labs warmed ahead for nobody in particular. */
export type StartPriority = 'learner' | 'warm';

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

  run<T>(priority: StartPriority, work: () => Promise<T>): Promise<T> {
    return this.queue.add(work, { priority: priority === 'learner' ? 1 : 0 });
  }

  /** Starts waiting for a free place. */
  get waiting(): number {
    return this.queue.size;
  }
}
