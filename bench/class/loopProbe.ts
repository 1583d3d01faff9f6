/**
 * Loaded into the bench's server process (`node --import`): every PROBE_MS it prints one line
 * with its event loop's delay (p50, p99, max) and how busy the loop was, so bench:class can tell
 * a busy server from a busy host. Bench-only: the server itself knows nothing of it.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export const LOOP_PREFIX = 'bench loop ';
const PROBE_MS = 2_000;

export interface LoopSample {
  at: number;
  p50: number;
  p99: number;
  max: number;
  /** Share of the window the loop was running code (0..1). */
  busy: number;
}

const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
let last = performance.eventLoopUtilization();
setInterval(() => {
  const now = performance.eventLoopUtilization();
  const sample: LoopSample = {
    at: Date.now(),
    p50: histogram.percentile(50) / 1e6,
    p99: histogram.percentile(99) / 1e6,
    max: histogram.max / 1e6,
    busy: performance.eventLoopUtilization(now, last).utilization,
  };
  last = now;
  histogram.reset();
  process.stdout.write(`${LOOP_PREFIX}${JSON.stringify(sample)}\n`);
}, PROBE_MS).unref();
