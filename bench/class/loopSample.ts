/** One window of the bench server's event loop, as bench/class/loopProbe.ts prints it. */
export const LOOP_PREFIX = 'bench loop ';

export interface LoopSample {
  at: number;
  /** Event-loop delay in the window, ms. */
  p50: number;
  p99: number;
  max: number;
  /** Share of the window the loop was running code (0..1). */
  busy: number;
}
