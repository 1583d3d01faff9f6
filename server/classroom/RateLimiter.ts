/**
 * A token bucket per key (an IP address): `capacity` requests at once, then one more every
 * `refillMs`. In memory on purpose: a restart forgets, which only ever helps the legitimate user.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly refillMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a token; when none is left, says how long until the next one. */
  take(key: string): { allowed: true } | { allowed: false; retryAfterMs: number } {
    const now = this.now();
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) * this.refillMs) };
  }

  private refilled(key: string, now: number): { tokens: number; at: number } {
    if (this.buckets.size > 10_000) this.prune(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) / this.refillMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** Full buckets carry no information; dropping them bounds memory under a spray of IPs. */
  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.at) / this.refillMs >= this.capacity) this.buckets.delete(key);
    }
  }
}
