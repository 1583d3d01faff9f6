/**
 * The tail of a terminal's decoded output, kept as the chunks that arrived so that appending
 * and reading what is new cost time linear in the new text, even through a 50 MB flood.
 * Positions are absolute character offsets since the first output.
 */
export class OutputTail {
  private chunks: string[] = [];
  private starts: number[] = [];
  private end = 0;
  private first = 0;

  constructor(private readonly keepChars: number) {}

  append(text: string): void {
    if (text.length === 0) return;
    this.chunks.push(text);
    this.starts.push(this.end);
    this.end += text.length;
    if (this.end - this.first > 2 * this.keepChars) this.trim();
  }

  /** Characters discarded before the kept tail. */
  get dropped(): number {
    return this.first;
  }

  /** Position just past the newest character. */
  get position(): number {
    return this.end;
  }

  get text(): string {
    return this.since(this.first);
  }

  /** The kept text from absolute position `from` on (from the tail's start if that is gone). */
  since(from: number): string {
    let i = this.chunks.length;
    while (i > 0 && (this.starts[i - 1] as number) > from) i -= 1;
    if (i === 0) i = 1;
    const startIndex = i - 1;
    const parts = this.chunks.slice(startIndex);
    if (parts.length === 0) return '';
    const offset = Math.max(0, from - (this.starts[startIndex] as number));
    parts[0] = (parts[0] as string).slice(offset);
    return parts.join('');
  }

  /** Drops whole chunks from the front while the rest still covers `keepChars`: no copying. */
  private trim(): void {
    let drop = 0;
    while (drop + 1 < this.chunks.length && this.end - (this.starts[drop + 1] as number) >= this.keepChars) drop += 1;
    this.chunks.splice(0, drop);
    this.starts.splice(0, drop);
    this.first = this.starts[0] ?? this.end;
  }
}
