type Level = 'warn' | 'error';

/**
 * Lets through at most `burst` messages of one kind per window; at the end of a window that
 * dropped some, reports how many. A "kind" is the message with its numbers, ids and quoted
 * details blanked, so "bad handshake from 10.0.0.7: …" floods count as one kind.
 */
export class RepeatFilter {
  private readonly kinds = new Map<string, { count: number; dropped: number; level: Level; sample: string }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly report: (summary: string, level: Level) => void,
    private readonly burst = 5,
    windowMs = 10_000,
  ) {
    this.timer = setInterval(() => this.flush(), windowMs);
    this.timer.unref();
  }

  allow(message: string, level: Level): boolean {
    const key = `${level}:${kindOf(message)}`;
    const seen = this.kinds.get(key) ?? { count: 0, dropped: 0, level, sample: message };
    this.kinds.set(key, seen);
    seen.count++;
    if (seen.count <= this.burst) return true;
    seen.dropped++;
    return false;
  }

  /** Ends the window: reports what was left out and starts counting afresh. */
  flush(): void {
    for (const { dropped, level, sample } of this.kinds.values()) {
      if (dropped > 0)
        this.report(`${dropped} more like this in the last window were not logged: ${sample.slice(0, 200)}`, level);
    }
    this.kinds.clear();
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

function kindOf(message: string): string {
  return message
    .slice(0, 120)
    .replace(/"[^"]*"|'[^']*'/g, '"…"')
    .replace(/[0-9a-f]{6,}/gi, '#')
    .replace(/\d+/g, '#');
}
