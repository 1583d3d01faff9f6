/**
 * Loaded into the bench's server process (`node --import`): every PROBE_MS it prints one line
 * with its event loop's delay (p50, p99, max) and how busy the loop was, so bench:class can tell
 * a busy server from a busy host. Bench-only: the server itself knows nothing of it.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

import { LOOP_PREFIX, LOOP_WINDOW_MS, type LoopSample } from './loopSample';

const PROBE_MS = LOOP_WINDOW_MS;
/** The histogram times the sampling timer's whole period: its resolution is taken off. */
const RESOLUTION_MS = 10;

const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();
let last = performance.eventLoopUtilization();
setInterval(() => {
  const now = performance.eventLoopUtilization();
  const sample: LoopSample = {
    at: Date.now(),
    p50: Math.max(0, histogram.percentile(50) / 1e6 - RESOLUTION_MS),
    p99: Math.max(0, histogram.percentile(99) / 1e6 - RESOLUTION_MS),
    max: Math.max(0, histogram.max / 1e6 - RESOLUTION_MS),
    busy: performance.eventLoopUtilization(now, last).utilization,
    timers: 0,
    handles: 0,
  };
  for (const kind of process.getActiveResourcesInfo()) {
    if (kind === 'Timeout') sample.timers += 1;
    else if (!kind.startsWith('FSReq')) sample.handles += 1;
  }
  last = now;
  histogram.reset();
  process.stdout.write(`${LOOP_PREFIX}${JSON.stringify(sample)}\n`);
}, PROBE_MS).unref();
