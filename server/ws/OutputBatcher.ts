/**
 * Coalesces shell output into fewer WebSocket frames: waits up to `delayMs` for more, except
 * right after the learner typed, when the echo goes out at once (latency beats batching).
 */
export class OutputBatcher {
  private pending: Buffer[] = [];
  private size = 0;
  private timer: NodeJS.Timeout | undefined;
  private urgent = false;

  constructor(
    private readonly send: (chunk: Buffer) => void,
    private readonly delayMs = 3,
    private readonly maxBytes = 64 * 1024,
  ) {}

  /** The next output is most likely the echo of what was just typed. */
  markInput(): void {
    this.urgent = true;
  }

  push(chunk: Buffer): void {
    this.pending.push(chunk);
    this.size += chunk.length;
    if (this.urgent || this.size >= this.maxBytes) {
      this.urgent = false;
      this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.delayMs);
    }
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.size === 0) return;
    const data = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending, this.size);
    this.pending = [];
    this.size = 0;
    this.send(data);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.size = 0;
  }
}
