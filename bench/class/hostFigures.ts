/**
 * What bench:class reads besides the learners' own timings: the server's event loop (the
 * loopProbe lines it prints), the host's memory and load, and a bounded keystroke probe.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { TerminalClient } from '../../test/server/support/terminalClient';
import { keystroke } from '../keystrokes';
import { percentile } from '../stats';
import { LOOP_PREFIX, LOOP_WINDOW_MS, type LoopSample } from './loopSample';

export interface LoopSummary {
  /** Worst window's p99 and the median window's p50 of the server's event-loop delay, ms. */
  p50: number;
  p99: number;
  max: number;
  /** Mean share of time the server's loop was busy. */
  busy: number;
  /** The server's active timers and handles, median over the windows. */
  timers: number;
  handles: number;
}

function loopSamples(serverOutput: string, from: number, to: number): LoopSample[] {
  const samples: LoopSample[] = [];
  for (const line of serverOutput.split('\n')) {
    if (!line.startsWith(LOOP_PREFIX)) continue;
    try {
      const s = JSON.parse(line.slice(LOOP_PREFIX.length)) as LoopSample;
      if (s.at >= from && s.at <= to) samples.push(s);
    } catch {
      // A line cut by the pipe.
    }
  }
  return samples;
}

export function loopSummary(serverOutput: string, from: number, to: number): LoopSummary {
  const samples = loopSamples(serverOutput, from, to);
  const at = (key: 'p50' | 'p99' | 'max' | 'timers' | 'handles', p: number): number =>
    percentile(
      samples.map((s) => s[key]),
      p,
    );
  return {
    p50: at('p50', 50),
    p99: at('p99', 100),
    max: at('max', 100),
    busy: samples.reduce((sum, s) => sum + s.busy, 0) / samples.length,
    timers: at('timers', 50),
    handles: at('handles', 50),
  };
}

export interface HostNow {
  load1: number;
  load5: number;
  /** Memory in use on the host (total − available), GiB. */
  usedGiB: number;
  totalGiB: number;
}

export function hostNow(): HostNow {
  const available = Number(/^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) * 1024;
  const [load1 = 0, load5 = 0] = os.loadavg();
  return { load1, load5, usedGiB: (os.totalmem() - available) / 2 ** 30, totalGiB: os.totalmem() / 2 ** 30 };
}

/**
 * `count` keys at a typist's pace, but at most `windowMs` in all: a key that gets no echo within
 * `timeoutMs` counts as `timeoutMs` (a floor, printed as such) and the probe goes on.
 */
export async function boundedEcho(
  client: TerminalClient,
  count: number,
  gapMs: number,
  timeoutMs: number,
  windowMs: number,
): Promise<{ samples: number[]; lost: number; at: number[] }> {
  const samples: number[] = [];
  /** When each key was sent (epoch ms), to line slow echoes up with the server's loop windows. */
  const at: number[] = [];
  let lost = 0;
  const end = performance.now() + windowMs;
  for (let i = 0; i < count && performance.now() < end; i++) {
    const key = i % 2 === 0 ? 'x' : '\x7f';
    at.push(Date.now());
    samples.push(
      await keystroke(client, key, timeoutMs).catch(() => {
        lost += 1;
        return timeoutMs;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  return { samples, lost, at };
}

/**
 * Of the echoes slower than `slowMs`, how many fell in a window where the server's loop was held
 * at least half that long: those the server's loop explains; the rest waited elsewhere (the
 * machine's shell, the host's scheduler, the bench's own loop).
 */
export function slowEchoes(
  serverOutput: string,
  echo: { samples: readonly number[]; at: readonly number[] },
  slowMs: number,
): { slow: number; inServerLoop: number } {
  const windows = loopSamples(serverOutput, -Infinity, Infinity);
  let slow = 0;
  let inServerLoop = 0;
  echo.samples.forEach((ms, i) => {
    if (ms < slowMs) return;
    slow += 1;
    const sent = echo.at[i] ?? 0;
    // A window's line is printed at its end; it covers PROBE_MS before that.
    const window = windows.find((w) => w.at >= sent && w.at - LOOP_WINDOW_MS <= sent + ms);
    if (window && window.max >= ms / 2) inServerLoop += 1;
  });
  return { slow, inServerLoop };
}
