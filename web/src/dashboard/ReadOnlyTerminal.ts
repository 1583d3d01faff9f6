import { Terminal } from '@xterm/xterm';
import { CloseCode } from '../../../protocol/terminal';
import { TerminalSocket } from '../lab/TerminalSocket';

/**
 * A learner's terminal as the instructor sees it: output only. The xterm takes no input
 * (disableStdin) and the socket is a read-only TerminalSocket, which never sends anything, so the
 * learner's shell and its size are untouched; the view keeps the learner's output at whatever
 * size this pane has.
 */
export class ReadOnlyTerminal {
  readonly element: HTMLElement;
  private readonly term: Terminal;
  private readonly socket: TerminalSocket;
  private readonly resizer: ResizeObserver;

  constructor(parent: HTMLElement, url: string, machineId: string) {
    this.element = document.createElement('div');
    this.element.className = 'watch-pane';
    this.element.dataset.machine = machineId;
    parent.append(this.element);
    this.term = new Terminal({
      disableStdin: true,
      cursorBlink: false,
      fontSize: 13,
      cols: 100,
      rows: 24,
      scrollback: 2000,
      theme: { background: '#111418' },
      // The learner's coloured text stays readable here too (WCAG AA).
      minimumContrastRatio: 4.5,
    });
    this.term.open(this.element);
    // The learner's columns stay as they are; the font follows the pane so no column is cut off.
    this.resizer = new ResizeObserver(() => this.fitFont(parent));
    this.resizer.observe(parent);
    this.socket = new TerminalSocket(
      url,
      () => ({ cols: this.term.cols, rows: this.term.rows }),
      {
        output: (data) => this.term.write(data),
        ready: () => {
          this.element.dataset.state = 'connected';
          this.term.reset();
        },
        error: () => undefined,
        closed: ({ code, reason }) => {
          this.element.dataset.state = 'closed';
          if (code !== CloseCode.NORMAL) this.term.write(`\r\n\x1b[33m[${reason || 'disconnected'}]\x1b[0m\r\n`);
        },
      },
      { readOnly: true },
    );
    this.socket.connect();
  }

  private fitFont(parent: HTMLElement): void {
    const screen = this.element.querySelector<HTMLElement>('.xterm-screen');
    const width = screen?.getBoundingClientRect().width ?? 0;
    const room = parent.clientWidth - 12;
    if (width <= 0 || room <= 0) return;
    const size = Math.max(6, Math.min(16, Math.floor((this.term.options.fontSize ?? 13) * (room / width) * 10) / 10));
    if (Math.abs(size - (this.term.options.fontSize ?? 13)) >= 0.2) this.term.options.fontSize = size;
  }

  dispose(): void {
    this.socket.dispose();
    this.resizer.disconnect();
    this.term.dispose();
    this.element.remove();
  }
}
