import WebSocket from 'ws';
import { ackFrame, ClientOp, frame, Limits, ServerOp } from '../../../protocol/terminal';
import { OutputTail } from './outputTail';

const TAIL_BYTES = 128 * 1024;

export interface Closed {
  code: number;
  reason: string;
}

/**
 * A Node client for the terminal protocol, like the page's but without xterm: it acknowledges
 * output as soon as it arrives and keeps the decoded text for assertions.
 */
export class TerminalClient {
  bytes = 0;
  readonly errors: string[] = [];
  ready: unknown;
  readonly closed: Promise<Closed>;
  readonly opened: Promise<void>;
  private waiters: (() => void)[] = [];
  private unacked = 0;
  private readonly output = new OutputTail(TAIL_BYTES);

  constructor(
    readonly ws: WebSocket,
    private readonly autoAck = true,
  ) {
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.notify();
      }),
    );
    this.opened = new Promise((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    ws.on('error', () => undefined);
    ws.on('message', (data: Buffer) => this.onFrame(data));
  }

  /** `headers`: more of what a browser sends, such as Sec-Fetch-Site. */
  static connect(
    url: string,
    options: { cookie?: string; origin?: string; autoAck?: boolean; headers?: Record<string, string> } = {},
  ): TerminalClient {
    const headers: Record<string, string> = { ...options.headers };
    if (options.cookie) headers.cookie = options.cookie;
    const ws = new WebSocket(url, { headers, origin: options.origin, perMessageDeflate: false });
    return new TerminalClient(ws, options.autoAck ?? true);
  }

  hello(cols = 80, rows = 24): void {
    this.ws.send(frame(ClientOp.HELLO, JSON.stringify({ cols, rows })));
  }

  input(text: string): void {
    this.ws.send(frame(ClientOp.INPUT, text));
  }

  sendRaw(data: Uint8Array | string, binary = true): void {
    this.ws.send(data, { binary });
  }

  /** At least the last 128 KiB of output, decoded. */
  get text(): string {
    return this.output.text;
  }

  /** Position just past the output so far, for `waitFor(pattern, timeout, from)`. */
  get position(): number {
    return this.output.position;
  }

  /** Resolves once the output from position `from` on matches. */
  async waitFor(pattern: RegExp | string, timeoutMs = 120_000, from = 0): Promise<RegExpMatchArray | string> {
    const deadline = Date.now() + timeoutMs;
    // A plain string is looked for only in what arrived since the last look (plus an overlap),
    // so waiting through a flood stays cheap.
    let searchFrom = from;
    const bytes = typeof pattern === 'string' ? Buffer.from(pattern) : undefined;
    for (;;) {
      let found: RegExpMatchArray | string | null;
      if (typeof pattern === 'string' && bytes) {
        found = this.output.since(searchFrom).includes(bytes) ? pattern : null;
        searchFrom = Math.max(from, this.position - bytes.length + 1);
      } else {
        found = this.output.since(from).toString('utf8').match(pattern);
      }
      if (found) return found;
      if (this.ws.readyState === WebSocket.CLOSED)
        throw new Error(`socket closed while waiting for ${String(pattern)}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `timed out waiting for ${String(pattern)}; output tail: ${JSON.stringify(this.text.slice(-400))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.ws.close();
  }

  private onFrame(data: Buffer): void {
    const op = data[0];
    const payload = data.subarray(1);
    if (op === ServerOp.OUTPUT) {
      this.bytes += payload.length;
      // Only a tail is kept: floods must not grow the test's memory either.
      this.output.append(payload);
      if (this.autoAck) {
        this.unacked += payload.length;
        if (this.unacked >= Limits.ackStepBytes) {
          this.ws.send(ackFrame(this.unacked));
          this.unacked = 0;
        }
      }
    } else if (op === ServerOp.READY) {
      this.ready = JSON.parse(payload.toString('utf8'));
    } else if (op === ServerOp.ERROR) {
      this.errors.push(payload.toString('utf8'));
    }
    this.notify();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
