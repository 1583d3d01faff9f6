import {
  ackFrame,
  ClientOp,
  CloseCode,
  frame,
  Limits,
  ServerOp,
  shouldReconnect,
  type TerminalReady,
} from '../../../protocol/terminal';
import type { Disposable } from './disposable';

export interface TerminalSocketEvents {
  /** Output to render; call `done` once xterm has rendered it (flow control). */
  output(data: Uint8Array, done: () => void): void;
  /** (Re)attached: the scrollback replay follows. */
  ready(info: { scrollbackBytes: number }): void;
  error(message: string): void;
  /** Closed for good (no reconnect), or a reconnect is scheduled in `retryInMs`. */
  closed(info: { code: number; reason: string; retryInMs: number | undefined }): void;
}

const encoder = new TextEncoder();

/**
 * One terminal's WebSocket with the page's side of the protocol: HELLO first, ACKs from xterm's
 * write callbacks, and reconnect with backoff only when the close code says it can succeed.
 * `readOnly` (the instructor's view of a learner's terminal) sends nothing at all: no HELLO, no
 * input, no size, no ACKs; output is all it gets, and `ready` fires as the socket opens.
 */
export class TerminalSocket implements Disposable {
  private ws: WebSocket | undefined;
  private attempt = 0;
  private retryTimer: number | undefined;
  private rendered = 0;
  private disposed = false;

  constructor(
    private readonly url: string,
    private readonly size: () => { cols: number; rows: number },
    private readonly events: TerminalSocketEvents,
    private readonly options: { readOnly?: boolean } = {},
  ) {}

  connect(): void {
    if (this.disposed) return;
    window.clearTimeout(this.retryTimer);
    this.ws?.close();
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.rendered = 0;
    ws.onopen = () => {
      if (this.options.readOnly) {
        this.attempt = 0;
        this.events.ready({ scrollbackBytes: 0 });
      } else ws.send(frame(ClientOp.HELLO, JSON.stringify(this.size())));
    };
    ws.onmessage = (event: MessageEvent<ArrayBuffer | string>) => {
      if (typeof event.data === 'string') return;
      const data = new Uint8Array(event.data);
      const payload = data.subarray(1);
      if (data[0] === ServerOp.OUTPUT) {
        this.events.output(payload, () => this.acknowledge(ws, payload.length));
      } else if (data[0] === ServerOp.READY) {
        this.attempt = 0;
        this.events.ready(JSON.parse(new TextDecoder().decode(payload)) as TerminalReady);
      } else if (data[0] === ServerOp.ERROR) {
        this.events.error(new TextDecoder().decode(payload));
      }
    };
    ws.onclose = (event) => {
      if (this.ws !== ws || this.disposed) return;
      this.ws = undefined;
      const retry = shouldReconnect(event.code) ? this.backoff(event.code) : undefined;
      this.events.closed({ code: event.code, reason: event.reason, retryInMs: retry });
      if (retry !== undefined) this.retryTimer = window.setTimeout(() => this.connect(), retry);
    };
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  input(text: string): void {
    const bytes = encoder.encode(text);
    // Large pastes go out in frames well under the server's 64 KiB limit.
    for (let at = 0; at < bytes.length; at += Limits.inputChunkBytes) {
      this.send(frame(ClientOp.INPUT, bytes.subarray(at, at + Limits.inputChunkBytes)));
    }
  }

  resize(cols: number, rows: number): void {
    this.send(frame(ClientOp.RESIZE, JSON.stringify({ cols, rows })));
  }

  dispose(): void {
    this.disposed = true;
    window.clearTimeout(this.retryTimer);
    this.ws?.close(CloseCode.NORMAL);
    this.ws = undefined;
  }

  private acknowledge(ws: WebSocket, bytes: number): void {
    if (ws !== this.ws) return;
    this.rendered += bytes;
    if (this.rendered >= Limits.ackStepBytes) {
      this.send(ackFrame(this.rendered));
      this.rendered = 0;
    }
  }

  private backoff(code: number): number {
    // A reset lab is ready almost at once; network trouble backs off up to 10 s.
    if (code === CloseCode.LAB_RESET) return 300;
    const delay = Math.min(10_000, 500 * 2 ** this.attempt);
    this.attempt++;
    return delay;
  }

  private send(data: Uint8Array): void {
    if (this.options.readOnly) return;
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(data);
  }
}
