import type { LabSession } from './labSessionTypes';

/**
 * A lab's maximum age counts awake time only. `maxAgeMs` of 0 or less means never; the end is
 * then a date no clock reaches.
 */
export function maxAgeEnd(awakeStart: number, maxAgeMs: number | undefined): number {
  const ms = maxAgeMs ?? 0;
  return ms > 0 ? awakeStart + ms : Number.MAX_SAFE_INTEGER;
}

/** Back from sleep (or a reset of a sleeping lab): the maximum age moves on by the time asleep. */
export function markAwake(session: LabSession, maxAgeMs: number | undefined): void {
  if (session.awakeSince !== undefined) return;
  session.awakeSince = Date.now();
  session.sleptAt = undefined;
  session.expiresAt = maxAgeEnd(session.awakeSince - session.awakeMs, maxAgeMs);
}

/** Going to sleep: the awake time so far is banked. */
export function markAsleep(session: LabSession, now = Date.now()): void {
  session.awakeMs += now - (session.awakeSince ?? now);
  session.awakeSince = undefined;
  session.sleptAt = now;
}
