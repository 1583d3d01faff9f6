import { randomBytes } from 'node:crypto';

/** Who a verified launch is: a learner and their lab, or an instructor and their class. */
export type Handoff = { kind: 'learner'; learnerId: string; labId: string } | { kind: 'instructor'; classId: string };

const TTL_MS = 5 * 60_000;

/**
 * One-time codes that carry a verified launch from the LMS's frame to a window of our own, where
 * the sign-in cookie is first-party. A code works once, for five minutes, and is 128 random bits.
 */
export class Handoffs {
  private readonly codes = new Map<string, { handoff: Handoff; until: number }>();

  issue(handoff: Handoff, now = Date.now()): string {
    for (const [code, entry] of this.codes) if (entry.until < now) this.codes.delete(code);
    const code = randomBytes(16).toString('base64url');
    this.codes.set(code, { handoff, until: now + TTL_MS });
    return code;
  }

  take(code: string, now = Date.now()): Handoff | undefined {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    return entry && entry.until >= now ? entry.handoff : undefined;
  }
}
