import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../server/classroom/RateLimiter';

describe('per-IP token bucket', () => {
  it('allows a burst of `capacity`, then refuses with a retry time', () => {
    let now = 0;
    const limiter = new RateLimiter(5, 12_000, () => now);
    for (let i = 0; i < 5; i++) expect(limiter.take('1.2.3.4').allowed).toBe(true);
    expect(limiter.take('1.2.3.4')).toEqual({ allowed: false, retryAfterMs: 12_000 });
    now = 12_000;
    expect(limiter.take('1.2.3.4').allowed).toBe(true);
    expect(limiter.take('1.2.3.4').allowed).toBe(false);
  });

  it('keeps each address in its own bucket', () => {
    const limiter = new RateLimiter(1, 60_000, () => 0);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });
});
