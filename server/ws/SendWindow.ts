/**
 * Watermark flow control (xterm.js flow-control guide, as in wetty): count bytes sent, subtract
 * the bytes the browser reports rendered, and ask for a pause above `high` and a resume below `low`.
 */
export class SendWindow {
  private unacked = 0;
  private paused = false;

  constructor(
    private readonly high: number,
    private readonly low: number,
    private readonly onChange: (paused: boolean) => void,
  ) {}

  sent(bytes: number): void {
    this.unacked += bytes;
    if (!this.paused && this.unacked > this.high) {
      this.paused = true;
      this.onChange(true);
    }
  }

  acked(bytes: number): void {
    this.unacked = Math.max(0, this.unacked - bytes);
    if (this.paused && this.unacked < this.low) {
      this.paused = false;
      this.onChange(false);
    }
  }

  get outstanding(): number {
    return this.unacked;
  }
}
