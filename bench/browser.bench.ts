/**
 * npm run bench:browser — the learner's view in real Chromium: keypress → glyph on screen
 * (p50/p99 over BENCH_KEYS=200 keys; goal p50 ≤ 16 ms, one frame, p99 ≤ 33 ms), split into the
 * echo's trip and the page's part (bench/browser/glyphProbe.ts), beside as many keys measured
 * the earlier way (polling in animation frames), and "Start lab" click → usable prompt (median
 * of BENCH_STARTS=5, with a warm lab waiting as in production). Prints the load average.
 */
import { chromium, type Page } from '@playwright/test';
import { execSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pressKeys, recordSocketArrivals, startGlyphProbe, type GlyphSample } from './browser/glyphProbe';
import { spawnServer } from './serverProcess';
import { median, ms, percentile } from './stats';

const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const KEYS = Number(process.env.BENCH_KEYS ?? 200);
const ROWS = '.term-pane[data-machine="machine1"] .xterm-rows';
const PROMPT = /\[root@machine1 [^\]]*\]#/;
/** Keys per block; the two ways of waiting alternate block by block, so they share the host's load. */
const BLOCK = 20;

const load = (): string => os.loadavg()[0]?.toFixed(1) ?? '?';
const pct = (values: number[], p: number): string => (values.length ? percentile(values, p).toFixed(1) : '-');
const line = (name: string, values: number[]): string =>
  `  ${name.padEnd(40)} p50 ${pct(values, 50)} ms, p99 ${pct(values, 99)} ms`;

async function screen(page: Page): Promise<string> {
  return page.locator(ROWS).innerText();
}

async function waitWarm(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => ((await (await fetch('/healthz')).json()) as { warmLabs: number }).warmLabs > 0,
    undefined,
    {
      timeout: 120_000,
      polling: 200,
    },
  );
}

async function main(): Promise<void> {
  execSync('npx vite build --config web/vite.config.ts --logLevel warn', {
    cwd: path.resolve(import.meta.dirname, '..'),
    stdio: 'inherit',
  });
  const server = await spawnServer({ LAB_WARM_POOL: '1' });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const starts: number[] = [];
    let keyPage: Page | undefined;
    for (let i = 0; i < STARTS; i++) {
      const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
      await recordSocketArrivals(context);
      const page = await context.newPage();
      await page.goto('/');
      await page.getByRole('button', { name: 'Start as guest' }).click();
      const start = page.locator('li[data-lab-id="iptables-single-server"]').getByRole('button', { name: 'Start lab' });
      await start.waitFor();
      await waitWarm(page);
      const t0 = Date.now();
      await start.click();
      await page.waitForURL(/\/lab\?session=/);
      for (;;) {
        if (PROMPT.test(await screen(page))) break;
        await page.waitForTimeout(10);
      }
      starts.push(Date.now() - t0);
      if (i === STARTS - 1) keyPage = page;
      else {
        await page.request.delete(`/api/sessions/${new URL(page.url()).searchParams.get('session') ?? ''}`);
        await context.close();
      }
    }
    if (!keyPage) throw new Error('no lab page');
    await keyPage.locator('.term-pane[data-machine="machine1"] .xterm-helper-textarea').focus();
    await startGlyphProbe(keyPage, ROWS);
    // Side by side, in alternating blocks: the bench waiting for each sample's own event, and
    // polling in animation frames as it did before (which keeps Chromium drawing every frame).
    const samples: GlyphSample[] = [];
    const rafPolled: GlyphSample[] = [];
    const loadBefore = load();
    for (let done = 0; done < KEYS; done += BLOCK) {
      samples.push(...(await pressKeys(keyPage, Math.min(BLOCK, KEYS - done))));
      rafPolled.push(...(await pressKeys(keyPage, Math.min(BLOCK, KEYS - done), 'raf')));
    }
    console.log(
      `Start lab → usable prompt: median ${ms(median(starts))} over ${STARTS} (${starts.map(ms).join(', ')})`,
    );
    console.log(`keypress → glyph over ${samples.length} keys (load ${loadBefore} → ${load()}):`);
    const parts: [string, (s: GlyphSample) => number][] = [
      ['keystroke sent (keydown → WebSocket)', (s) => s.sent],
      ['echo back on the page', (s) => s.echo],
      ["page's message handler (decode, parse)", (s) => s.handler],
      ['frame began (echo → frame)', (s) => s.frame - s.echo],
      ['rows drawn by xterm', (s) => s.drawn],
      ['glyph painted (goal p50 16, p99 33)', (s) => s.painted],
      ['page part (echo → painted)', (s) => s.painted - s.echo],
      ['next frame (a frame after the paint)', (s) => s.nextFrame],
    ];
    for (const [name, pick] of parts) console.log(line(name, samples.map(pick)));
    console.log(`the same, bench polling in animation frames (the earlier bench), ${rafPolled.length} keys:`);
    for (const [name, pick] of parts) console.log(line(name, rafPolled.map(pick)));
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
