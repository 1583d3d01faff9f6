/**
 * In-page timing of keypress → glyph for bench:browser. Split in three, all from the keydown's
 * own timestamp (the page's clock):
 *   echo:    the terminal socket's next message (keypress → server → shell → back);
 *   drawn:   xterm's DOM renderer changed the rows' text (it draws in an animation frame);
 *   painted: the task right after that frame's rendering update, i.e. the glyph is on screen;
 *   nextFrame: the next frame's callbacks (how this bench measured before: one frame more).
 * The text comparison skips a cursor blink, which redraws a row without changing its text.
 */
import type { BrowserContext, Page } from '@playwright/test';

export interface GlyphSample {
  echo: number;
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
  frameStart: number;
  channel?: MessageChannel;
  afterPaint?: () => void;
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
        state.before = rows.textContent ?? '';
      },
      true,
    );
    new MutationObserver(() => {
      const since = state.pending;
      if (since === undefined || rows.textContent === state.before) return;
      state.pending = undefined;
      const drawn = performance.now();
      const echo = state.lastMessage;
      const frame = state.frameStart;
      // Posted from inside the frame's callbacks, the message runs once that frame is painted;
      // if the next frame comes first (a busy host), that frame began after the paint.
      // (No named functions in page code: the bench's compiler would wrap them in a helper the page lacks.)
      const sample = { echo: echo - since, frame: frame - since, drawn: drawn - since, painted: 0, nextFrame: 0 };
      const times = { message: 0, nextFrame: 0 };
      state.afterPaint = () => {
        times.message = performance.now();
        if (times.nextFrame === 0) return;
        state.samples.push({ ...sample, painted: times.nextFrame - since, nextFrame: times.nextFrame - since });
      };
      channel.port2.postMessage(undefined);
      requestAnimationFrame(() => {
        times.nextFrame = performance.now();
        if (times.message === 0) return;
        state.samples.push({ ...sample, painted: times.message - since, nextFrame: times.nextFrame - since });
      });
    }).observe(rows, { subtree: true, childList: true, characterData: true });
  }, rowsSelector);
}

export async function glyphSamples(page: Page): Promise<GlyphSample[]> {
  return page.evaluate(() => (window as unknown as ProbeWindow).glyphProbe.samples);
}

/** Presses `count` keys one after another, each once the previous glyph was painted. */
export async function pressKeys(page: Page, count: number): Promise<GlyphSample[]> {
  for (let i = 0; i < count; i++) {
    await page.keyboard.press(i % 60 === 59 ? 'Control+U' : 'x');
    await page.waitForFunction((n) => (window as unknown as ProbeWindow).glyphProbe.samples.length > n, i);
  }
  return glyphSamples(page);
}
