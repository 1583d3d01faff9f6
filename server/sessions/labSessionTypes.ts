import type { LabDeployment } from '../../labkit/deployment';

import type { EndReason, LabSessionStatus, ResetBy, SleepReason } from '../../protocol/sessionView';

// The page sees these too (on the wire); they are defined with the session view.
export type { EndReason, LabSessionStatus, ResetBy, SleepReason } from '../../protocol/sessionView';

/** One learner's run of a lab. `deployment` changes on reset; `id` never does. */
export interface LabSession {
  readonly id: string;
  readonly labId: string;
  readonly learnerId: string;
  /** Changed only by SessionTable.move, along the lifecycle table (lifecycle.ts). */
  readonly status: LabSessionStatus;
  /** The machines, once started; undefined while starting or after the end. */
  deployment: LabDeployment | undefined;
  createdAt: number;
  lastActivityAt: number;
  /** When the idle reaper will put the lab to sleep if nothing happens before. */
  idleExpiresAt: number;
  /** When the lab ends whatever happens (after LAB_MAX_HOURS of awake time; moves on while asleep). */
  expiresAt: number;
  /** Time the machines were up before `awakeSince`, in ms (a maximum age counts only this). */
  awakeMs: number;
  /** When the machines last came up; undefined while asleep. */
  awakeSince: number | undefined;
  /** When the lab went to sleep; undefined while awake. */
  sleptAt: number | undefined;
  /** While `broken`: what the learner is told, e.g. "Machine 1 stopped unexpectedly: Reset lab to get fresh machines". */
  problem?: string;
  /**
   * How the last Resume went, until the lab sleeps or is reset: the machines may have moved to
   * other addresses (their old ones were taken), or be fresh ones (an old one was gone).
   */
  lastWake?: { addressesChanged: boolean; freshMachines: boolean };
}

export type LabSessionEvent =
  | { type: 'started'; session: LabSession }
  /** Fresh machines are coming: terminals on the old ones must close. */
  | { type: 'resetting'; session: LabSession; by: ResetBy }
  /** Fresh machines are ready. */
  | { type: 'reset'; session: LabSession; by: ResetBy }
  | { type: 'idle-warning'; session: LabSession }
  /** The learner was active while warned of idleness: the warning is lifted (a new idle deadline). */
  | { type: 'activity'; session: LabSession }
  /** The machines are about to stop: terminals on them must close. */
  | { type: 'sleeping'; session: LabSession; reason: SleepReason }
  /** The machines are stopped, their disks kept. */
  | { type: 'slept'; session: LabSession; reason: SleepReason }
  /** The machines booted again (a fresh boot: only saved rules are loaded). */
  | { type: 'woken'; session: LabSession }
  /** The lab is close to its maximum age. */
  | { type: 'age-warning'; session: LabSession }
  /** A machine stopped unexpectedly; `session.problem` says what the learner can do. */
  | { type: 'broken'; session: LabSession }
  /** The machines of a broken lab run again (same machines, fresh shells). */
  | { type: 'recovered'; session: LabSession }
  /** The instructor wrote to the learner; the page shows it as a banner. */
  | { type: 'message'; session: LabSession; text: string; at: number }
  | { type: 'ended'; session: LabSession; reason: EndReason };

/** An event as listeners see it: a read-only snapshot of the session as it was then (its owner, SessionTable, changes it). */
export type SessionEventSnapshot = ReadonlyEvent<LabSessionEvent>;
export type LabSessionListener = (event: SessionEventSnapshot) => void;
type ReadonlyEvent<E> = E extends { session: LabSession }
  ? Readonly<Omit<E, 'session'>> & { readonly session: Readonly<LabSession> }
  : never;
