/**
 * The journal, read by people: the instructor's timeline of one learner's lab session, and the
 * learner's "what the host saw" for one step of their own session.
 */
import express from 'express';
import { z } from 'zod';
import type { LabCatalog } from '../../labkit/catalog';
import type { JournalEvent } from '../../labkit/journal';
import type { LabDeployment } from '../../labkit/deployment';
import type { LabModule } from '../../labkit/types';
import type { HostSawView, TimelineView } from '../../protocol/timeline';
import { learnerOf } from '../auth/requireLearner';
import type { ClassroomService } from '../classroom/ClassroomService';
import { HttpError } from '../http/HttpError';
import { buildTimeline, type TimelineNames } from '../journal/timeline';
import { hostSaw } from '../journal/hostSaw';
import { sessionIdSchema } from '../sessions/ids';
import type { LabSessions } from '../sessions/LabSessions';

/** What the routes read of the journal (Journal implements it). */
export interface JournalEvents {
  events(sessionId: string): JournalEvent[];
}

const stepQuery = z.object({ step: z.string().regex(/^[a-z0-9-]{1,64}$/, 'Not a step id') });

function namesOf(lab: LabModule | undefined, deployment: LabDeployment | null | undefined): TimelineNames {
  const machines: Record<string, string> = {};
  for (const m of lab?.topology.machines ?? []) machines[m.id] = m.label;
  const addresses: Record<string, string> = {};
  for (const m of deployment?.machines ?? []) for (const a of Object.values(m.addresses)) addresses[a] = m.id;
  const steps: Record<string, string> = {};
  lab?.steps.forEach((s, i) => (steps[s.id] = `${i + 1}. ${s.title}`));
  return { machines, addresses, steps };
}

/** Instructor-only (mounted behind requireInstructor): a learner's timeline, for this class's lab. */
export function instructorTimelineRouter(
  service: ClassroomService,
  sessions: LabSessions,
  catalog: LabCatalog,
  journal: JournalEvents,
): express.Router {
  const router = express.Router();
  router.get('/classes/:classId/learners/:learnerId/timeline', (req, res) => {
    const cls = service.classOr404(req.params.classId);
    const learner = service.learnerOr404(cls, req.params.learnerId);
    // The latest lab session of this class's lab: the one running, or the last one if none runs.
    const latest = service.store.labSessions
      .listByLearner(learner.id)
      .filter((s) => s.labId === cls.labId)
      .at(-1);
    if (!latest) {
      res.json({ sessionId: null, status: 'none', entries: [], omitted: 0 } satisfies TimelineView);
      return;
    }
    const live = sessions.get(latest.id);
    const running = live !== undefined && live.status !== 'ended';
    const names = namesOf(catalog.get(cls.labId), live?.deployment ?? latest.deployment);
    res.json({
      sessionId: latest.id,
      status: running ? 'live' : 'ended',
      ...buildTimeline(journal.events(latest.id), names),
    } satisfies TimelineView);
  });
  return router;
}

/** The learner's own session only (mounted after requireLearner); someone else's answers as missing. */
export function hostSawRouter(sessions: LabSessions, catalog: LabCatalog, journal: JournalEvents): express.Router {
  const router = express.Router();
  router.get('/sessions/:sessionId/host-saw', (req, res) => {
    const id = sessionIdSchema.safeParse(req.params.sessionId);
    const session = id.success ? sessions.getOwned(id.data, learnerOf(res)) : undefined;
    const lab = session && catalog.get(session.labId);
    if (!session || !lab) throw new HttpError(404, 'No such lab session');
    const query = stepQuery.safeParse(req.query);
    if (!query.success) throw new HttpError(400, 'Name the step: ?step=<step id>');
    const step = lab.steps.find((s) => s.id === query.data.step);
    if (!step) throw new HttpError(404, 'No such step in this lab');
    const { entries } = buildTimeline(journal.events(session.id), namesOf(lab, session.deployment));
    res.json(hostSaw(entries, step.id) satisfies HostSawView);
  });
  return router;
}
