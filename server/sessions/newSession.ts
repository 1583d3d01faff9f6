import type { SessionTiming } from './adoptedSession';
import { maxAgeEnd } from './awakeClock';
import { newLabSessionId } from './ids';
import type { LabSession } from './labSessionTypes';

/** A session just asked for: starting, no machines yet, its clocks counting from `now`. */
export function newSession(
  ownerId: string,
  labId: string,
  timing: Pick<SessionTiming, 'idleMs' | 'maxAgeMs'>,
  now = Date.now(),
): LabSession {
  return {
    id: newLabSessionId(),
    labId,
    ownerId,
    status: 'starting',
    lab: undefined,
    createdAt: now,
    lastActivityAt: now,
    idleExpiresAt: now + timing.idleMs,
    awakeMs: 0,
    awakeSince: undefined,
    sleptAt: undefined,
    expiresAt: maxAgeEnd(now, timing.maxAgeMs),
  };
}
