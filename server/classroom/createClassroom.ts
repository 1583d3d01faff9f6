import type { LabCatalog } from '../../labkit/catalog';
import type { ClassroomConfig } from '../config';
import type { LabSessions } from '../sessions/LabSessions';
import type { Store } from '../store/Store';
import { ClassFeeds } from './ClassFeeds';
import { ClassroomChanges } from './ClassroomChanges';
import { ClassroomService } from './ClassroomService';
import type { StepRef } from './grades';
import { InstructorAccount } from './InstructorAccount';
import { ProgressRecords } from './ProgressRecords';
import { instructorTokens, type InstructorTokens } from './instructorToken';
import { SessionRecorder } from './SessionRecorder';
import { RosterWarming } from './RosterWarming';
import { learnerLines } from './classSnapshot';
import type { Log } from '../log/Log';

/** The classroom's settings (config.classroom) and what it works with. */
export interface ClassroomDeps extends ClassroomConfig {
  store: Store;
  sessions: LabSessions;
  catalog: LabCatalog;
  /** The persisted cookie secret: instructor sessions survive restarts too. */
  cookieSecret: string;
  /** The host's lab limit: no class is warmed more labs than that. */
  maxLabs?: number;
  log: Log;
}

export interface Classroom {
  service: ClassroomService;
  account: InstructorAccount;
  /** Instructor sessions: sign-in, and who is asking on every instructor route and socket. */
  tokens: InstructorTokens;
  /** The learners' progress (the grading engine's ProgressStore): durable, and the dashboards hear about every change. */
  progress: ProgressRecords;
  /** Writes every session event to the store: startServer hands it the events (a hook). */
  recorder: SessionRecorder;
  /** The live dashboards' feeds, one per class with a dashboard open. */
  feeds: ClassFeeds;
}

/** The classroom area, built from its dependencies; server/routes serves it. */
export async function createClassroom(deps: ClassroomDeps): Promise<Classroom> {
  const account = new InstructorAccount(deps.store);
  await account.applyConfigured(deps.instructorPassword);
  const tokens = instructorTokens(deps.cookieSecret, deps.store.instructorSessions);
  const changes = new ClassroomChanges();
  const steps = (labId: string): StepRef[] =>
    deps.catalog.get(labId)?.steps.map(({ id, title, latching }) => ({ id, title, latching })) ?? [];
  const recorder = new SessionRecorder(deps.store, changes, deps.log, (id) => deps.sessions.get(id)?.lastActivityAt);
  const snapshot = { store: deps.store, sessions: deps.sessions, steps, stuckAfterMs: deps.stuckAfterMs };
  const warming = new RosterWarming(deps.sessions, deps.rosterWarmMs, deps.maxLabs, {
    changes,
    cls: (id) => deps.store.classes.get(id),
    lines: (cls, ids) =>
      learnerLines(snapshot, cls, ids === 'all' ? deps.store.learners.listByClass(cls.id).map((l) => l.id) : ids),
  });
  const service = new ClassroomService(deps.store, deps.sessions, changes, steps, warming);

  return {
    service,
    account,
    tokens,
    progress: new ProgressRecords(deps.store, changes, deps.log),
    recorder,
    feeds: new ClassFeeds({ snapshot, changes, log: deps.log, warming }),
  };
}
