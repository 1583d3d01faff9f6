/** One window of the bench server's event loop, as bench/class/loopProbe.ts prints it. */
export const LOOP_PREFIX = 'bench loop ';
/** How long each printed window is. */
export const LOOP_WINDOW_MS = 2_000;

export interface LoopSample {
  at: number;
  /** Event-loop delay in the window, ms. */
  p50: number;
  p99: number;
  max: number;
  /** Share of the window the loop was running code (0..1). */
  busy: number;
  /** Active timers and other handles (sockets, pipes, child processes) at the window's end. */
  timers: number;
  handles: number;
}
