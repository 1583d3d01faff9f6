/** The last `capacity` bytes written, kept as the chunks they arrived in (no copy per write). */
export class RingBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Counts writes, so a saver can tell whether anything changed since it last looked. */
  private writes = 0;

  constructor(readonly capacity: number) {}

  get version(): number {
    return this.writes;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.writes++;
    if (chunk.length >= this.capacity) {
      this.chunks = [Buffer.from(chunk.subarray(chunk.length - this.capacity))];
      this.size = this.capacity;
      return;
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.capacity) {
      const first = this.chunks[0];
      if (!first) break;
      const excess = this.size - this.capacity;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }

  get length(): number {
    return this.size;
  }

  snapshot(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }

  clear(): void {
    this.chunks = [];
    this.size = 0;
  }
}
