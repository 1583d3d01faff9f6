import { RingBuffer } from '../sessions/terminal/RingBuffer';

const QUIET_MS = 50;
const MAX_MS = 1500;
const TAIL_BYTES = 8 * 1024;

/**
 * Ctrl+C during a flood. A tty discards its queued output on SIGINT, but the path to the server
 * (dtach's socket buffers, or Docker's exec pipeline on the fallback path, about a megabyte) still
 * holds output the browser would have to render. While active, output is read at full speed and dropped except for the last few KiB,
 * which go out once the stream goes quiet (the flood is over: `^C` and the new prompt).
 */
export class InterruptFlush {
  private tail: RingBuffer | undefined;
  private skipped = 0;
  private quietTimer: NodeJS.Timeout | undefined;
  private maxTimer: NodeJS.Timeout | undefined;

  constructor(private readonly done: (skippedBytes: number, tail: Buffer) => void) {}

  get active(): boolean {
    return this.tail !== undefined;
  }

  start(): void {
    if (this.tail) return;
    this.tail = new RingBuffer(TAIL_BYTES);
    this.skipped = 0;
    this.maxTimer = setTimeout(() => this.finish(), MAX_MS);
    this.armQuiet();
  }

  /** True when the chunk was taken (the caller must not send it). */
  take(chunk: Buffer): boolean {
    if (!this.tail) return false;
    this.tail.push(Buffer.from(chunk));
    this.skipped += chunk.length;
    this.armQuiet();
    return true;
  }

  dispose(): void {
    clearTimeout(this.quietTimer);
    clearTimeout(this.maxTimer);
    this.tail = undefined;
  }

  private armQuiet(): void {
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.finish(), QUIET_MS);
  }

  private finish(): void {
    const tail = this.tail;
    if (!tail) return;
    this.dispose();
    this.done(Math.max(0, this.skipped - tail.length), tail.snapshot());
  }
}
