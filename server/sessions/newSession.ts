import type { SessionLimits } from './adoptedSession';
import { maxAgeEnd } from './awakeClock';
import { newSessionId } from './ids';
import type { LabSession } from './labSessionTypes';

/** A session just asked for: starting, no machines yet, its clocks counting from `now`. */
export function newSession(
  learnerId: string,
  labId: string,
  limits: Pick<SessionLimits, 'idleMs' | 'maxAgeMs'>,
  now = Date.now(),
): LabSession {
  return {
    id: newSessionId(),
    labId,
    learnerId: learnerId,
    status: 'starting',
    deployment: undefined,
    createdAt: now,
    lastActivityAt: now,
    idleExpiresAt: now + limits.idleMs,
    awakeMs: 0,
    awakeSince: undefined,
    sleptAt: undefined,
    expiresAt: maxAgeEnd(now, limits.maxAgeMs),
  };
}
