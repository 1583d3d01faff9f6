// TEMPORARY (lever measurement only; reverted before landing).
import type { Terminal } from '@xterm/xterm';
import { WebglAddon } from './scratch/addon-webgl/lib/addon-webgl.mjs';
// @ts-expect-error scratch UMD build
import * as canvasModule from './scratch/addon-canvas/lib/addon-canvas.js';

export interface BenchLevers {
  renderer?: 'dom' | 'webgl' | 'canvas';
  batch?: boolean;
  blink?: boolean;
  blob?: boolean;
}

export function benchLevers(): BenchLevers {
  try {
    return JSON.parse(localStorage.getItem('ipl-bench-levers') ?? '{}') as BenchLevers;
  } catch {
    return {};
  }
}

export function loadRenderer(term: Terminal, levers: BenchLevers): void {
  (window as unknown as { benchTerm: Terminal }).benchTerm = term;
  if (levers.renderer === 'webgl') term.loadAddon(new WebglAddon());
  if (levers.renderer === 'canvas') {
    const mod = canvasModule as { CanvasAddon?: new () => never; default?: { CanvasAddon: new () => never } };
    const Addon = mod.CanvasAddon ?? mod.default?.CanvasAddon;
    if (!Addon) throw new Error('no CanvasAddon');
    term.loadAddon(new Addon());
  }
}

/** One term.write per animation frame. */
export function frameBatcher(write: (data: Uint8Array, done: () => void) => void) {
  let chunks: Uint8Array[] = [];
  let dones: (() => void)[] = [];
  let scheduled = false;
  return (data: Uint8Array, done: () => void) => {
    chunks.push(data.slice());
    dones.push(done);
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      const size = chunks.reduce((n, c) => n + c.length, 0);
      const all = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) {
        all.set(c, at);
        at += c.length;
      }
      const callbacks = dones;
      chunks = [];
      dones = [];
      write(all, () => callbacks.forEach((f) => f()));
    });
  };
}
