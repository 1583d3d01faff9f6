/**
 * In-page timing of keypress → glyph for bench:browser. Split in parts, all from the keydown's
 * own timestamp (the page's clock):
 *   sent:    the keystroke's INPUT frame handed to the WebSocket (xterm and the page's sending);
 *   echo:    the terminal socket's next message (keypress → server → shell → back);
 *   handler: how long the page's message handler ran for it (decoding, xterm's parse);
 *   drawn:   xterm's DOM renderer changed the rows' text (it draws in an animation frame);
 *   painted: the task right after that frame's rendering update, i.e. the glyph is on screen;
 *   nextFrame: the next frame's callbacks (how this bench measured before: one frame more).
 * The text comparison skips a cursor blink, which redraws a row without changing its text.
 */
import type { BrowserContext, Page } from '@playwright/test';

export interface GlyphSample {
  /** The keystroke left the page (its INPUT frame handed to the WebSocket). */
  sent: number;
  echo: number;
  /** How long the page's own message handler ran for the echo (decoding and xterm's parse). */
  handler: number;
  /** The animation frame in which xterm drew began. */
  frame: number;
  drawn: number;
  painted: number;
  /** The first animation frame after the drawing one: what this bench measured before, a frame too late. */
  nextFrame: number;
}

interface ProbeState {
  pending: number | undefined;
  before: string;
  lastMessage: number;
  lastHandler: number;
  sentAt: number;
  frameStart: number;
  channel?: MessageChannel;
  afterPaint?: () => void;
  /** Called after each sample (the bench's wait for it). */
  onSample?: () => void;
  /** Called when the terminal may have drawn: takes a sample if the text changed since the keydown. */
  drawn?: () => void;
  samples: GlyphSample[];
}

type ProbeWindow = Window & { glyphProbe: ProbeState };

/** Every page of the context notes when a WebSocket message arrives (before the page's own handler runs). */
export async function recordSocketArrivals(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const state: ProbeState = {
      pending: undefined,
      before: '',
      lastMessage: 0,
      lastHandler: 0,
      sentAt: 0,
      frameStart: 0,
      samples: [],
    };
    (window as unknown as ProbeWindow).glyphProbe = state;
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener('message', () => (state.lastMessage = performance.now()));
      }
      override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
        if (state.pending !== undefined && state.sentAt === 0) state.sentAt = performance.now();
        super.send(data);
      }
      // The page sets onmessage; time how long its handler runs.
      override set onmessage(handler: ((event: MessageEvent) => void) | null) {
        super.onmessage = handler
          ? (event: MessageEvent) => {
              const begin = performance.now();
              handler.call(this, event);
              state.lastHandler = performance.now() - begin;
            }
          : null;
      }
      override get onmessage(): ((event: MessageEvent) => void) | null {
        return super.onmessage;
      }
    };
    const nativeFrame = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = (callback) =>
      nativeFrame((time) => {
        state.frameStart = performance.now();
        callback(time);
      });
  });
}

/** Starts measuring on the page's terminal rows; each key pressed afterwards adds one sample. */
export async function startGlyphProbe(page: Page, rowsSelector: string): Promise<void> {
  await page.evaluate((selector) => {
    const state = (window as unknown as ProbeWindow).glyphProbe;
    const rows = document.querySelector(selector);
    if (!rows) throw new Error(`no ${selector}`);
    // One channel for the run, held by the page (a port nobody holds may be collected unheard).
    const channel = new MessageChannel();
    channel.port1.onmessage = () => state.afterPaint?.();
    state.channel = channel;
    document.addEventListener(
      'keydown',
      (event) => {
        state.pending = event.timeStamp;
        state.sentAt = 0;
        state.before = rows.textContent ?? '';
      },
      true,
    );
    // (No named functions in page code: the bench's compiler would wrap them in a helper the page lacks.)
    state.drawn = () => {
      const since = state.pending;
      if (since === undefined || rows.textContent === state.before) return;
      state.pending = undefined;
      const drawn = performance.now();
      // Posted from inside the frame's callbacks, the message runs once that frame is painted;
      // if the next frame comes first (a busy host), that frame began after the paint.
      const sample = {
        sent: state.sentAt - since,
        echo: state.lastMessage - since,
        handler: state.lastHandler,
        frame: state.frameStart - since,
        drawn: drawn - since,
        painted: 0,
        nextFrame: 0,
      };
      const times = { message: 0, nextFrame: 0 };
      state.afterPaint = () => {
        times.message = performance.now();
        if (times.nextFrame === 0) return;
        state.samples.push({ ...sample, painted: times.nextFrame - since, nextFrame: times.nextFrame - since });
        state.onSample?.();
      };
      channel.port2.postMessage(undefined);
      requestAnimationFrame(() => {
        times.nextFrame = performance.now();
        if (times.message === 0) return;
        state.samples.push({ ...sample, painted: times.message - since, nextFrame: times.nextFrame - since });
        state.onSample?.();
      });
    };
    new MutationObserver(() => state.drawn?.()).observe(rows, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  }, rowsSelector);
}

export async function glyphSamples(page: Page): Promise<GlyphSample[]> {
  return page.evaluate(() => (window as unknown as ProbeWindow).glyphProbe.samples);
}

/**
 * Presses `count` keys one after another, each once the previous glyph was painted. The bench
 * waits for the sample's own event: polling in animation frames (`waitFor: 'raf'`, Playwright's
 * default) keeps Chromium drawing every frame, which a learner's idle page does not.
 */
export async function pressKeys(
  page: Page,
  count: number,
  waitFor: 'sample' | 'raf' = 'sample',
): Promise<GlyphSample[]> {
  const before = (await glyphSamples(page)).length;
  for (let i = 0; i < count; i++) {
    const n = before + i;
    const next =
      waitFor === 'raf'
        ? page.waitForFunction((n) => (window as unknown as ProbeWindow).glyphProbe.samples.length > n, n)
        : page.evaluate(
            (n) =>
              new Promise<void>((resolve) => {
                const state = (window as unknown as ProbeWindow).glyphProbe;
                state.onSample = () => {
                  if (state.samples.length > n) resolve();
                };
                state.onSample();
              }),
            n,
          );
    // Ctrl+U every 60th key of the page's whole run, so the line never wraps.
    await page.keyboard.press(n % 60 === 59 ? 'Control+U' : 'x');
    await next;
  }
  return (await glyphSamples(page)).slice(before);
}
