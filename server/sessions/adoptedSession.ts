import type { LabDeployment } from '../runtime/LabRuntime';
import { maxAgeEnd } from './awakeClock';
import type { LabSession } from './labSessionTypes';

/** A session whose machines outlived a restart; `sleptAt` when they were asleep. */
export interface AdoptedSession {
  id: string;
  labId: string;
  learnerId: string;
  deployment: LabDeployment;
  createdAt: number;
  lastActivityAt: number;
  /** Awake time before `lastWokenAt` (or before `createdAt` if it never slept). */
  awakeMs: number;
  lastWokenAt: number | undefined;
  sleptAt: number | undefined;
}

/** How long a session may sit idle and stay awake in all, and how early its learner is warned of each. */
export interface SessionLimits {
  idleMs: number;
  idleWarningMs: number;
  maxAgeMs?: number;
  maxAgeWarningMs?: number;
}

/**
 * The live session of an adopted record. A restart resets neither clock; a lab whose time ran
 * out while the server was down still gets its warning before it goes. Only awake time counts
 * towards the maximum age.
 */
export function adoptedSession(record: AdoptedSession, limits: SessionLimits, now = Date.now()): LabSession {
  const { sleptAt, awakeMs, lastWokenAt, ...rest } = record;
  const asleep = sleptAt !== undefined;
  const awakeSince = asleep ? undefined : (lastWokenAt ?? record.createdAt);
  return {
    ...rest,
    status: asleep ? 'sleeping' : 'ready',
    idleExpiresAt: Math.max(record.lastActivityAt + limits.idleMs, now + limits.idleWarningMs),
    expiresAt: Math.max(maxAgeEnd((awakeSince ?? now) - awakeMs, limits.maxAgeMs), now + (limits.maxAgeWarningMs ?? 0)),
    awakeMs,
    awakeSince,
    sleptAt,
  };
}
