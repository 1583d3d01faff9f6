/** TEMPORARY: keystroke → glyph levers side by side, rounds interleaved on one lab session. */
import { chromium, type Browser, type Page } from '@playwright/test';
import { execSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { pressKeys, recordSocketArrivals, startGlyphProbe, type GlyphSample } from './browser/glyphProbe';
import { spawnServer } from './serverProcess';
import { percentile } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const KEYS = 60;
const ROWS = '.term-pane[data-machine="machine1"] .xterm-rows';
const ONLY = process.env.BENCH_ONLY?.split(',');

interface Variant {
  name: string;
  gpu?: boolean;
  levers?: Record<string, unknown>;
  query?: string;
  waitFor?: 'sample' | 'raf';
  signal?: 'rows';
  css?: string;
}
const VARIANTS: Variant[] = (
  [
    { name: 'base' },
    { name: 'base-rows', signal: 'rows' },
    { name: 'contain', css: '.term-pane { contain: strict; }' },
    { name: 'contain-all', css: '.term-pane, #terminals, .guide { contain: strict; }' },
    { name: 'no-guide', css: '.guide { display: none !important; }' },
    { name: 'raf-poll', waitFor: 'raf' },
    { name: 'blink', levers: { blink: true } },
    { name: 'batch-frame', levers: { batch: true } },
    { name: 'blob', levers: { blob: true } },
    { name: 'nagle-on', query: 'lever-nagle' },
    { name: 'timer-flush', query: 'lever-timer' },
    { name: 'canvas', levers: { renderer: 'canvas' } },
    { name: 'swgl-dom', gpu: true },
    { name: 'swgl-webgl', gpu: true, levers: { renderer: 'webgl' } },
  ] as Variant[]
).filter((v) => !ONLY || ONLY.includes(v.name));

const load = () => os.loadavg()[0]?.toFixed(1) ?? '?';

async function main(): Promise<void> {
  execSync('npx vite build --config web/vite.config.ts --logLevel warn', {
    cwd: path.resolve(import.meta.dirname, '..'),
    stdio: 'inherit',
  });
  const server = await spawnServer({ LAB_WARM_POOL: '1' });
  const plain = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const gpu = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  const results = new Map<string, { samples: GlyphSample[]; loads: string[]; errors: string[] }>();
  try {
    const setup = await plain.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    const page = await setup.newPage();
    await page.goto('/');
    await page.getByRole('button', { name: 'Start as guest' }).click();
    await page.locator('li[data-lab-id="iptables-single-server"]').getByRole('button', { name: 'Start lab' }).click();
    await page.waitForURL(/\/lab\?session=/);
    await page.locator(ROWS).filter({ hasText: /\[root@machine1/ }).waitFor({ timeout: 180_000 });
    const labUrl = page.url();
    const storageState = await setup.storageState();
    await setup.close();
    console.log(`lab ready (load ${load()}); ${VARIANTS.length} variants × ${ROUNDS} rounds × ${KEYS} keys`);
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of VARIANTS) {
        const r = results.get(v.name) ?? { samples: [], loads: [], errors: [] };
        results.set(v.name, r);
        const browser: Browser = v.gpu ? gpu : plain;
        const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, storageState });
        try {
          await context.addInitScript(
            ({ levers, query, css }) => {
              if (css)
                document.addEventListener('DOMContentLoaded', () => {
                  const style = document.createElement('style');
                  style.textContent = css;
                  document.head.append(style);
                });
              try {
                localStorage.setItem('ipl-bench-levers', JSON.stringify(levers));
              } catch {
                // about:blank has no storage
              }
              (window as unknown as { benchWsQuery?: string }).benchWsQuery = query;
            },
            { levers: v.levers ?? {}, query: v.query, css: v.css },
          );
          await recordSocketArrivals(context);
          const p: Page = await context.newPage();
          p.on('pageerror', (e) => r.errors.push(e.message));
          await p.goto(labUrl);
          await p.waitForFunction(
            () => {
              const term = (window as unknown as { benchTerm?: { buffer: { active: { length: number; getLine(y: number): { translateToString(): string } | undefined } } } }).benchTerm;
              if (!term) return false;
              const b = term.buffer.active;
              for (let y = 0; y < b.length; y++) if (b.getLine(y)?.translateToString().includes('[root@machine1')) return true;
              return false;
            },
            undefined,
            { timeout: 60_000, polling: 100 },
          );
          await p.locator('.term-pane[data-machine="machine1"] .xterm-helper-textarea').focus();
          await p.waitForTimeout(300);
          await startGlyphProbe(p, ROWS, v.signal !== 'rows');
          const samples = await pressKeys(p, KEYS, v.waitFor ?? 'sample');
          r.samples.push(...samples);
          r.loads.push(load());
        } catch (error) {
          r.errors.push(String(error).split('\n')[0] ?? '');
        } finally {
          await context.close();
        }
      }
      console.log(`round ${round + 1} done (load ${load()})`);
    }
  } finally {
    await plain.close();
    await gpu.close();
    await server.stop();
  }
  const f = (xs: number[]) => (xs.length ? `${percentile(xs, 50).toFixed(1)}/${percentile(xs, 99).toFixed(1)}` : '-');
  console.log('variant         n   sent       echo        handler   echo→frame  drawn−frame  page part   PAINTED      loads');
  for (const [name, r] of results) {
    const s = r.samples;
    console.log(
      [
        name.padEnd(14),
        String(s.length).padStart(4),
        f(s.map((x) => x.sent)).padEnd(10),
        f(s.map((x) => x.echo)).padEnd(11),
        f(s.map((x) => x.handler)).padEnd(9),
        f(s.map((x) => x.frame - x.echo)).padEnd(11),
        f(s.map((x) => x.drawn - x.frame)).padEnd(12),
        f(s.map((x) => x.painted - x.echo)).padEnd(11),
        f(s.map((x) => x.painted)).padEnd(12),
        r.loads.join(' '),
        r.errors.length ? `errors: ${[...new Set(r.errors)].join(' | ').slice(0, 300)}` : '',
      ].join(' '),
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
