/**
 * npm run bench:browser — the learner's view in real Chromium: keypress → glyph on screen
 * (p50/p99 over BENCH_KEYS=200 keys; goal p50 ≤ 16 ms, one frame, p99 ≤ 33 ms), split into the
 * echo's trip and the page's part (bench/browser/glyphProbe.ts), and "Start lab" click → usable
 * prompt (median of BENCH_STARTS=5, with a warm lab waiting as in production).
 */
import { chromium, type Page } from '@playwright/test';
import { execSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pressKeys, recordSocketArrivals, startGlyphProbe } from './browser/glyphProbe';
import { spawnServer } from './serverProcess';
import { median, ms, percentile } from './stats';

const STARTS = Number(process.env.BENCH_STARTS ?? 5);
const KEYS = Number(process.env.BENCH_KEYS ?? 200);
const ROWS = '.term-pane[data-machine="machine1"] .xterm-rows';
const PROMPT = /\[root@machine1 [^\]]*\]#/;

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
    const samples = await pressKeys(keyPage, KEYS);
    const of = (pick: (s: (typeof samples)[number]) => number) => samples.map(pick);
    const line = (name: string, values: number[]) =>
      `  ${name.padEnd(34)} p50 ${values.length ? percentile(values, 50).toFixed(1) : '-'} ms, p99 ${values.length ? percentile(values, 99).toFixed(1) : '-'} ms`;
    console.log(
      `Start lab → usable prompt: median ${ms(median(starts))} over ${STARTS} (${starts.map(ms).join(', ')})`,
    );
    console.log(`keypress → glyph over ${samples.length} keys (load ${os.loadavg()[0]?.toFixed(1)}):`);
    console.log(
      line(
        'echo back on the page',
        of((s) => s.echo),
      ),
    );
    console.log(
      line(
        'frame began (echo → frame)',
        of((s) => s.frame - s.echo),
      ),
    );
    console.log(
      line(
        'rows drawn by xterm',
        of((s) => s.drawn),
      ),
    );
    console.log(
      line(
        'glyph painted (goal p50 16, p99 33)',
        of((s) => s.painted),
      ),
    );
    console.log(
      line(
        'page part (echo → painted)',
        of((s) => s.painted - s.echo),
      ),
    );
    console.log(
      line(
        'next frame (the earlier measure)',
        of((s) => s.nextFrame),
      ),
    );
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
