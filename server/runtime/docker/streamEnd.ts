import type { Duplex } from 'node:stream';

/**
 * The one-shot "this shell is gone" signal of a terminal transport: fires once when the
 * underlying stream ends, closes or fails (or when `fire` is called), and late listeners
 * still hear about it.
 */
export class StreamEnd {
  private ended = false;
  private readonly listeners = new Set<() => void>();

  constructor(stream: Duplex) {
    const fire = (): void => this.fire();
    stream.on('end', fire);
    stream.on('close', fire);
    stream.on('error', fire);
  }

  get hasEnded(): boolean {
    return this.ended;
  }

  fire(): void {
    if (this.ended) return;
    this.ended = true;
    for (const listener of this.listeners) listener();
  }

  /** The TerminalStream.onExit contract. */
  listen(listener: () => void): () => void {
    if (this.ended) {
      queueMicrotask(listener);
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
