import { Terminal } from '@xterm/xterm';
import { ServerOp } from '../../../server/ws/protocol';

/**
 * A learner's terminal as the instructor sees it: output only. The xterm takes no input
 * (disableStdin) and the socket never sends anything, so the learner's shell and its size are
 * untouched; the view keeps the learner's output at whatever size this pane has.
 */
export class ReadOnlyTerminal {
  readonly element: HTMLElement;
  private readonly term: Terminal;
  private socket: WebSocket | undefined;
  private closed = false;

  constructor(
    parent: HTMLElement,
    private readonly url: string,
    machineId: string,
  ) {
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
    });
    this.term.open(this.element);
    // The learner's columns stay as they are; the font follows the pane so no column is cut off.
    this.resizer = new ResizeObserver(() => this.fitFont(parent));
    this.resizer.observe(parent);
    this.connect();
  }

  private readonly resizer: ResizeObserver;

  private fitFont(parent: HTMLElement): void {
    const screen = this.element.querySelector<HTMLElement>('.xterm-screen');
    const width = screen?.getBoundingClientRect().width ?? 0;
    const room = parent.clientWidth - 12;
    if (width <= 0 || room <= 0) return;
    const size = Math.max(6, Math.min(16, Math.floor((this.term.options.fontSize ?? 13) * (room / width) * 10) / 10));
    if (Math.abs(size - (this.term.options.fontSize ?? 13)) >= 0.2) this.term.options.fontSize = size;
  }

  private connect(): void {
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    this.socket = ws;
    ws.addEventListener('open', () => {
      this.element.dataset.state = 'connected';
      this.term.reset();
    });
    ws.addEventListener('message', (event) => {
      if (!(event.data instanceof ArrayBuffer)) return;
      const bytes = new Uint8Array(event.data);
      if (bytes[0] === ServerOp.OUTPUT) this.term.write(bytes.subarray(1));
    });
    ws.addEventListener('close', (event) => {
      this.element.dataset.state = 'closed';
      if (this.closed) return;
      this.term.write(`\r\n\x1b[33m[${event.reason || 'disconnected'}]\x1b[0m\r\n`);
      // The lab may be resetting, or the server restarting: try again while the panel is open.
      if (event.code !== 4008 && event.code !== 1008) setTimeout(() => !this.closed && this.connect(), 2000);
    });
  }

  dispose(): void {
    this.closed = true;
    this.resizer.disconnect();
    this.socket?.close();
    this.term.dispose();
    this.element.remove();
  }
}
