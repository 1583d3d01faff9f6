/**
 * The journal as people read it: a lab session's timeline, summarised on the server (packets in
 * groups, ruleset changes as rules added and removed), for the instructor's learner panel and
 * the learner's "what the host saw".
 */

export type TimelineKind = 'command' | 'ruleset' | 'packets' | 'file' | 'check' | 'note';

export interface TimelineEntry {
  kind: TimelineKind;
  /** When it happened (a packet group: its first packet). */
  at: number;
  /** A packet group's last packet. */
  until?: number;
  /** Who reported it: the host saw it, or the learner's shell said so (a pointer, never proof). */
  source: 'host' | 'learner';
  /** The machine it happened on or came from, by label ("Machine 2"). */
  machine?: string;
  /** One line, e.g. "Machine 2 pinged Machine 1: 3 echo requests answered, then 4 rejected as host-prohibited". */
  text: string;
  /** More lines shown on demand: a ruleset's changed rules, a check's message. */
  detail?: string[];
  /** Checks only. */
  stepId?: string;
  passed?: boolean;
  /** Ruleset changes only: the machine's whole ruleset after the change (iptables-save, no counters). */
  rules?: string;
  /** Ruleset changes only: whether the firewall service has rules loaded after it. */
  firewall?: 'running' | 'stopped';
}

/** GET /api/instructor/classes/:classId/learners/:learnerId/timeline */
export interface TimelineView {
  /** The learner's latest lab session of the class's lab; null if they never started one. */
  sessionId: string | null;
  status: 'live' | 'ended' | 'none';
  entries: TimelineEntry[];
  /** Older entries left out (the view keeps the newest MAX_TIMELINE_ENTRIES). */
  omitted: number;
}

/** GET /api/sessions/:sessionId/host-saw?step=<stepId>: the journal's evidence for one step. */
export interface HostSawView {
  stepId: string;
  /** The step's latest check as the journal recorded it, with the verdict's message (its cited evidence). */
  lastCheck: TimelineEntry | null;
  /** The newest things the host saw itself (packets, ruleset changes, files), oldest first. */
  recent: TimelineEntry[];
}

export const MAX_TIMELINE_ENTRIES = 500;

/** What held at one moment of a timeline: each machine's ruleset and each step's latest verdict. */
export interface TimelineMoment {
  at: number;
  rulesets: { machine: string; at: number; firewall: 'running' | 'stopped'; rules: string }[];
  checks: { stepId: string; at: number; passed: boolean }[];
}

/** The state as of entry `index` (inclusive), for scrubbing through a timeline. */
export function momentAt(entries: readonly TimelineEntry[], index: number): TimelineMoment {
  const rulesets = new Map<string, TimelineMoment['rulesets'][number]>();
  const checks = new Map<string, TimelineMoment['checks'][number]>();
  const last = Math.min(index, entries.length - 1);
  for (let i = 0; i <= last; i++) {
    const e = entries[i];
    if (e?.kind === 'ruleset' && e.machine && e.rules !== undefined)
      rulesets.set(e.machine, { machine: e.machine, at: e.at, firewall: e.firewall ?? 'running', rules: e.rules });
    if (e?.kind === 'check' && e.stepId && e.passed !== undefined)
      checks.set(e.stepId, { stepId: e.stepId, at: e.at, passed: e.passed });
  }
  return { at: entries[last]?.at ?? 0, rulesets: [...rulesets.values()], checks: [...checks.values()] };
}
