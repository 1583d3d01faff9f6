/**
 * The hooks: the named extension points a server integration plugs into (the store recorder,
 * the terminals, grading, the Firewall view's watches, and later the journal or an LTI grade
 * passback). startServer takes them as one list and calls each hook in list order; a hook that
 * throws is logged and the others still run.
 */
import type Database from 'better-sqlite3';
import type { Router } from 'express';
import type { LabCatalog } from '../../labkit/catalog';
import type { ProgressRecords } from '../classroom/ProgressRecords';
import type { CheckTrigger } from '../../protocol/stepsViews';
import type { StepState } from '../grading/progress';
import type { Log } from '../log/Log';
import type { LabRuntime } from '../runtime/LabRuntime';
import type { LabSession, SessionEventSnapshot } from '../sessions/labSessionTypes';
import type { Identify } from '../ws/wsRoute';
import type { LearnerCookies } from '../auth/learnerCookie';
import type { ClassroomService } from '../classroom/ClassroomService';
import type { InstructorTokens } from '../classroom/instructorToken';

/** A verdict that was just stored as an attempt, with whose it is. */
export interface CheckResultEvent {
  learnerId: string;
  labId: string;
  sessionId: string;
  stepId: string;
  verdict: { passed: boolean; message: string; at: number };
  trigger: CheckTrigger;
  /** The step's state after this attempt (its latching rule applied). */
  state: StepState;
  /** The learner's progress on this lab after the attempt, when the lab's steps are known. */
  progress?: { passed: number; total: number };
}

/** What an extension may use: handed to `start` and to `routes`. */
export interface ExtensionDeps {
  /** The server's SQLite database (an extension keeps to tables of its own). */
  db: Database.Database;
  /**
   * The learners' progress, read-only: `forLearner(learnerId, labId)` is the one record the page,
   * the dashboard and the grades show; `onChange` hears each committed change of it.
   */
  progress: Pick<ProgressRecords, 'forLearner' | 'onChange'>;
  catalog: LabCatalog;
  runtime: LabRuntime;
  /** A live lab session by id, read-only. */
  session(id: string): Readonly<LabSession> | undefined;
  /** Who is asking: the learner cookie's learner id, or whether an instructor is signed in. */
  identify: Identify;
  /** Classes, learners and their progress, for an integration that brings people in (an LMS). */
  classroom: ClassroomService;
  /** Signing a person in as the product's own routes do: the learner cookie, an instructor session. */
  signIn: { learners: LearnerCookies; instructors: InstructorTokens };
  /** DATA_DIR: an extension's own files (keys) live here. */
  dataDir: string;
  log: Log;
}

export interface ServerExtension {
  /** Names the extension in logs. */
  readonly name: string;
  /** Once, after the store and the lab sessions exist and before any lab is started or taken back. */
  start?(deps: ExtensionDeps): void;
  /** Every lab session event, in order (a read-only view of the session). */
  onSessionEvent?(event: SessionEventSnapshot): void;
  /** After a check's verdict is stored and the learner's progress updated. */
  onCheckResult?(result: CheckResultEvent): void;
  /**
   * Extra HTTP routes, mounted under /api before the learner cookie is required: each route
   * checks who is asking itself (deps.identify). State-changing requests from other sites are
   * refused before they reach it.
   */
  routes?(router: Router, deps: ExtensionDeps): void;
  /**
   * Routes at the site root that other sites may post to (an LMS's launch), mounted ahead of
   * the same-site check and the JSON body parser: each checks who is asking itself.
   */
  siteRoutes?(router: Router, deps: ExtensionDeps): void;
  /** When the server stops, in reverse list order. */
  close?(): void | Promise<void>;
}
