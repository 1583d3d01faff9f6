/** What the classroom API and the dashboard's socket send. */
import type { CheckTrigger } from './stepsViews';

/** One check of one step: a press of "Check", a background auto-check, a reset or a grading run. */
export interface AttemptView {
  id: number;
  sessionId: string;
  stepId: string;
  at: number;
  passed: boolean;
  message: string;
  trigger: CheckTrigger;
}

export interface StepRef {
  id: string;
  title: string;
  /** 'current' steps can stop holding after a pass (the dashboard then says so); 'latch' ones cannot. */
  latching?: 'latch' | 'current';
}

export interface StepStat {
  stepId: string;
  passed: number;
  /**
   * Median over those who passed of the time from when they could start the step (their previous
   * first pass of any step, or joining the class) to its first pass; null if nobody passed.
   */
  medianMsToPass: number | null;
  /** The failure most class members are on now (ties: the most tries); null if nobody is failing it. */
  topFailure: { message: string; learners: number } | null;
}

/** GET /api/instructor/me: who is signed in, and the CSRF token their writes must carry. */
export interface InstructorMe {
  signedIn: boolean;
  setupNeeded: boolean;
  canSetUp: boolean;
  csrfToken: string | null;
}

/** A class as the instructor's list shows it (GET /api/instructor/classes). */
export interface ClassSummary {
  id: string;
  name: string;
  joinCode: string;
  labId: string;
  createdAt: number;
  endedAt: number | null;
  /** Learners the instructor expects: labs are warmed for them while the dashboard is open. */
  expectedSize: number | null;
}

export interface LearnerLine {
  id: string;
  displayName: string;
  joinedAt: number;
  /** The learner's latest lab of this class; status 'ended' once it is gone. */
  session: {
    sessionId: string;
    status: string;
    /** With their addresses now (a Resume may have moved them): network id -> address. */
    machines: { id: string; label: string; addresses: Record<string, string> }[];
  } | null;
  passed: string[];
  /** Passed steps that do not hold now (see rosterProgress): the learner's page says the same. */
  lapsed: string[];
  /** Steps checked (by the learner or in the background) but never passed. */
  failed: string[];
  currentStep: string | null;
  stuck: boolean;
  /** Derived from onStepSince and the snapshot's `at`; dashboards fed by changes recompute it. */
  stuckForMs: number;
  onStepSince: number | null;
  lastActivity: number | null;
}

export interface ClassSnapshot {
  class: ClassSummary;
  steps: StepRef[];
  learners: LearnerLine[];
  /** Per step: passes, median time to pass, most common failure. */
  stepStats: StepStat[];
  at: number;
}

/** One thing that happened to a learner's lab (started, reset, ended…). */
export interface LabEventView {
  id: number;
  sessionId: string;
  at: number;
  kind: string;
  detail: Record<string, unknown>;
}

/** GET /api/instructor/classes/:classId/learners/:learnerId */
export interface LearnerDetail {
  learner: { id: string; displayName: string };
  liveSessionId: string | null;
  /** The learner's values of the class lab's parameters (e.g. their agent's port), by name. */
  parameters: Record<string, string>;
  attempts: AttemptView[];
  events: LabEventView[];
}
