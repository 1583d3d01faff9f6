import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { CloseCode } from '../../../protocol/terminal';
import { clipboardKeys } from './clipboard';
import { pageKey } from './pageKeys';
import { screenReaderPreferred } from './screenReaderPreference';
import { applyStickyCtrl } from './touchKeys';
import { DisposableStore, type Disposable } from './disposable';
import { TerminalSocket } from './TerminalSocket';

/** A machine's xterm, wired to its TerminalSocket and fitted to its pane. */
export class TerminalView implements Disposable {
  readonly element: HTMLElement;
  readonly term: Terminal;
  private readonly fit = new FitAddon();
  private readonly socket: TerminalSocket;
  private readonly store = new DisposableStore();
  private resizeTimer: number | undefined;
  private hidden = false;
  private markConnected: () => void = () => undefined;
  /** Resolves when the first attach (READY) has arrived. */
  readonly connected = new Promise<void>((resolve) => (this.markConnected = resolve));

  constructor(
    parent: HTMLElement,
    readonly machineId: string,
    wsUrl: string,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'term-pane';
    this.element.dataset.machine = machineId;
    parent.append(this.element);
    // Connect first: the WebSocket handshake overlaps xterm's setup (HELLO goes out on open, by then the size is known).
    this.socket = this.store.add(
      new TerminalSocket(wsUrl, () => ({ cols: this.term.cols, rows: this.term.rows }), {
        output: (data, done) => this.term.write(data, done),
        ready: () => {
          // The server replays the scrollback next; start from a clean screen so nothing doubles.
          this.term.reset();
          this.element.dataset.state = 'connected';
          this.markConnected();
        },
        error: (message) => this.term.write(`\r\n\x1b[33m[${message}]\x1b[0m\r\n`),
        closed: ({ code, reason, retryInMs }) => this.onClosed(code, reason, retryInMs),
      }),
    );
    this.socket.connect();
    this.term = this.store.add(
      new Terminal({
        // A steady cursor: the DOM renderer blinks with an endless CSS animation, which keeps
        // Chromium drawing every frame and held each keystroke's echo back by about a frame
        // (bench:browser, see "Sizing a host"). Nothing on the page blinks for ever (WCAG 2.2.2).
        cursorBlink: false,
        fontSize: 14,
        fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
        scrollback: 5000,
        screenReaderMode: screenReaderPreferred(),
        rightClickSelectsWord: false,
        theme: { background: '#111418', foreground: '#e6e6e6' },
        // Coloured text (the page's own red and dim notices, the shell's colours) stays readable (WCAG AA).
        minimumContrastRatio: 4.5,
      }),
    );
    this.term.loadAddon(this.fit);
    this.term.open(this.element);
    const clipboard = clipboardKeys(this.term);
    this.term.attachCustomKeyEventHandler((event) => {
      // The page's keys are acted on by its window listener; xterm must not turn them into input.
      if (pageKey(event)) {
        event.preventDefault();
        return false;
      }
      return clipboard(event);
    });
    this.fitNow();

    this.store.add(this.term.onData((data) => this.socket.input(applyStickyCtrl(data))));
    this.store.add(this.term.onBinary((data) => this.socket.input(data)));
    this.store.add(this.term.onResize(({ cols, rows }) => this.socket.resize(cols, rows)));
    const observer = new ResizeObserver(() => {
      // Given a size after having none (out of the layout): fit in this frame, so the first
      // command typed does not run at an old width.
      const wasHidden = this.hidden;
      this.hidden = this.element.clientWidth === 0 || this.element.clientHeight === 0;
      if (wasHidden && !this.hidden) this.fitNow();
      else this.scheduleFit();
    });
    observer.observe(this.element);
    this.store.add({ dispose: () => observer.disconnect() });
  }

  focus(): void {
    this.fitNow();
    this.term.focus();
  }

  /** xterm's screen reader support: an accessible copy of the rows, and output announced. */
  set screenReaderMode(on: boolean) {
    this.term.options.screenReaderMode = on;
  }

  /** Sends keystrokes to the shell, as typing would. */
  type(text: string): void {
    this.socket.input(text);
  }

  /** Fresh machines after a reset: nothing of the old screen belongs to them. */
  clear(): void {
    this.term.reset();
  }

  dispose(): void {
    window.clearTimeout(this.resizeTimer);
    this.store.dispose();
    this.element.remove();
  }

  /** Connects again if this terminal was closed for good (e.g. its machine had stopped). */
  reconnect(): void {
    if (this.element.dataset.state === 'closed') this.socket.connect();
  }

  private onClosed(code: number, reason: string, retryInMs: number | undefined): void {
    this.element.dataset.state = retryInMs === undefined ? 'closed' : 'reconnecting';
    if (code === CloseCode.LAB_RESET) return;
    const why = reason || `connection closed (${code})`;
    if (retryInMs !== undefined) {
      this.term.write(`\r\n\x1b[2m[${why}; reconnecting…]\x1b[0m\r\n`);
    } else if (code === CloseCode.SHELL_EXITED) {
      this.term.write(`\r\n\x1b[2m[${why}; press any key for a new shell]\x1b[0m\r\n`);
      const once = this.term.onData(() => {
        once.dispose();
        this.socket.connect();
      });
    } else {
      this.term.write(`\r\n\x1b[31m[${why}]\x1b[0m\r\n`);
    }
  }

  private scheduleFit(): void {
    window.clearTimeout(this.resizeTimer);
    this.resizeTimer = window.setTimeout(() => this.fitNow(), 50);
  }

  private fitNow(): void {
    if (this.element.clientWidth > 0 && this.element.clientHeight > 0) this.fit.fit();
  }
}
