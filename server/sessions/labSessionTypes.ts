import type { LabInstance } from '../runtime/LabRuntime';

export type LabSessionStatus = 'starting' | 'ready' | 'resetting' | 'ended';
export type EndReason = 'learner' | 'idle' | 'shutdown' | 'failed' | 'instructor';
/** Who asked for fresh machines: the page tells the learner. */
export type ResetBy = 'learner' | 'instructor';

/** One learner's running copy of a lab. `lab` changes on reset; `id` never does. */
export interface LabSession {
  readonly id: string;
  readonly labId: string;
  readonly ownerId: string;
  status: LabSessionStatus;
  /** The machines, once started; undefined while starting or after the end. */
  lab: LabInstance | undefined;
  createdAt: number;
  lastActivityAt: number;
  /** When the idle reaper will end the lab if nothing happens before. */
  idleExpiresAt: number;
}

export type LabSessionEvent =
  | { type: 'started'; session: LabSession }
  /** Fresh machines are coming: terminals on the old ones must close. */
  | { type: 'resetting'; session: LabSession; by: ResetBy }
  /** Fresh machines are ready. */
  | { type: 'reset'; session: LabSession; by: ResetBy }
  | { type: 'idle-warning'; session: LabSession }
  | { type: 'ended'; session: LabSession; reason: EndReason };

export type LabSessionListener = (event: LabSessionEvent) => void;
