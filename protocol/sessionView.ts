/** The session as the API shows it: addresses and terminal URLs, never container ids. */

/** `broken`: a machine stopped behind the server's back (see MachineFailures); `problem` says which. */
export type LabSessionStatus = 'starting' | 'ready' | 'resetting' | 'broken' | 'sleeping' | 'waking' | 'ended';
/** 'expired': asleep longer than LAB_SLEEP_DAYS; 'max-age': awake for LAB_MAX_HOURS in all. */
export type EndReason = 'learner' | 'idle' | 'max-age' | 'shutdown' | 'failed' | 'instructor' | 'expired';
/** Who put a lab to sleep: the idle reaper, the learner's Sleep button, or an instructor. */
export type SleepReason = 'idle' | 'learner' | 'instructor';
/** Who asked for fresh machines: the page tells the learner. */
export type ResetBy = 'learner' | 'instructor';

export interface SessionView {
  id: string;
  labId: string;
  title: string;
  status: LabSessionStatus;
  /** While status is "broken": what happened and what to do. */
  problem?: string;
  /** After a Resume, until the next sleep or reset: whether the machines moved, or are fresh ones. */
  lastWake: { addressesChanged: boolean; freshMachines: boolean } | null;
  createdAt: string;
  lastActivityAt: string;
  idleExpiresAt: string;
  idleWarningSeconds: number;
  /** While asleep: since when, and when the sleeping lab will be removed. */
  sleptAt: string | null;
  sleepExpiresAt: string | null;
  /** When the lab ends whatever happens (LAB_MAX_HOURS after it started). */
  expiresAt: string;
  expiryWarningSeconds: number;
  networks: { id: string; label: string; subnet: string }[];
  machines: { id: string; label: string; hostname: string; addresses: Record<string, string>; terminalUrl: string }[];
  /** The machines whose firewall the page shows, where their rules file is and the service that loads it. */
  firewalls: { machineId: string; label: string; rulesFile: string; service: string }[];
  links: {
    self: string;
    reset: string;
    keepalive: string;
    sleep: string;
    wake: string;
    end: string;
    lab: string;
    page: string;
    events: string;
  };
}
