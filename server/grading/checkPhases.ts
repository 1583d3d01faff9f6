/**
 * Where one check's time went, from what asked for it to its verdict handed to the listeners
 * (the lab page's event socket among them). Milliseconds; logged at debug level ("check phases")
 * and read by `npm run bench:class`.
 */
export interface CheckPhases {
  sessionId: string;
  stepId: string;
  trigger: string;
  /** The finished command (auto-check) or the request, until the check was asked for. */
  settle: number;
  /** Waiting behind the session's earlier checks and for a place among the host's checks. */
  queue: number;
  /** The step's checker: its reads, probes and journal. */
  checker: number;
  /** Recording the attempt and progress. */
  store: number;
  /** Handing the verdict to its listeners (the event sockets send it from there). */
  push: number;
  /** Checks waiting host-wide when this one was asked for. */
  waitingAhead: number;
}

export const PHASES_PREFIX = 'check phases ';

/** A timeline of one check, filled in as it goes. */
export class PhaseClock {
  private readonly marks: number[] = [];

  constructor(
    /** When what asked for the check happened (a command finished), epoch ms. */
    readonly triggeredAt: number,
    readonly waitingAhead: number,
    /** When it was asked for. */
    readonly askedAt: number = Date.now(),
  ) {}

  /** Marks, in order: started, checked, stored, pushed. */
  mark(): void {
    this.marks.push(Date.now());
  }

  phases(sessionId: string, stepId: string, trigger: string): CheckPhases {
    const [started = this.askedAt, checked = started, stored = checked, pushed = stored] = this.marks;
    return {
      sessionId,
      stepId,
      trigger,
      settle: Math.max(0, this.askedAt - this.triggeredAt),
      queue: started - this.askedAt,
      checker: checked - started,
      store: stored - checked,
      push: pushed - stored,
      waitingAhead: this.waitingAhead,
    };
  }
}
