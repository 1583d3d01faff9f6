/**
 * The tail of a terminal's output, kept as the raw chunks that arrived: appending costs
 * nothing and only what a reader asks for is joined and decoded, so a client can wait through
 * a 50 MB flood without spending the CPU the server under test needs.
 * Positions are absolute byte offsets since the first output.
 */
export class OutputTail {
  private chunks: Buffer[] = [];
  private starts: number[] = [];
  private end = 0;
  private first = 0;

  constructor(private readonly keepBytes: number) {}

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.starts.push(this.end);
    this.end += chunk.length;
    if (this.end - this.first > 2 * this.keepBytes) this.trim();
  }

  /** Position just past the newest byte. */
  get position(): number {
    return this.end;
  }

  get text(): string {
    return this.since(this.first).toString('utf8');
  }

  /** The kept bytes from absolute position `from` on (from the tail's start if that is gone). */
  since(from: number): Buffer {
    let i = this.chunks.length;
    while (i > 1 && (this.starts[i - 1] as number) > from) i -= 1;
    const parts = this.chunks.slice(Math.max(0, i - 1));
    if (parts.length === 0) return Buffer.alloc(0);
    const offset = Math.max(0, from - (this.starts[Math.max(0, i - 1)] as number));
    parts[0] = (parts[0] as Buffer).subarray(offset);
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  /** Drops whole chunks from the front while the rest still covers `keepBytes`: no copying. */
  private trim(): void {
    let drop = 0;
    while (drop + 1 < this.chunks.length && this.end - (this.starts[drop + 1] as number) >= this.keepBytes) drop += 1;
    this.chunks.splice(0, drop);
    this.starts.splice(0, drop);
    this.first = this.starts[0] ?? this.end;
  }
}
