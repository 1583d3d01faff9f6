import express from 'express';
import { z } from 'zod';
import { HttpError } from '../http/HttpError';
import type { LabCatalog } from '../../labkit/catalog';
import { classGrades, classSnapshot } from '../classroom/classSnapshot';
import type { ClassroomService } from '../classroom/ClassroomService';
import { toCsv } from '../classroom/csv';
import { gradeTable } from '../classroom/grades';
import type { ClassSummary, LearnerDetail } from '../../protocol/classViews';
import type { ParametersOf } from '../grading/labParameters';

const MAX_EXPECTED_SIZE = 1000;

const newClassBody = z
  .object({
    name: z.string().trim().min(1, 'Give the class a name').max(80, 'Class names are at most 80 characters'),
    labId: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/)
      .optional(),
    /** Learners expected: labs are warmed for them; without it, as many as the last class had. */
    expectedSize: z
      .number({ error: 'The expected size is a number of learners' })
      .int('The expected size is a whole number of learners')
      .min(0, 'The expected size cannot be negative')
      .max(MAX_EXPECTED_SIZE, `A class is expected to have at most ${MAX_EXPECTED_SIZE} learners`)
      .optional(),
  })
  .strict();

const messageBody = z
  .object({
    text: z.string().trim().min(1, 'Write a message').max(500, 'Messages are at most 500 characters'),
    learnerId: z.string().max(64).optional(),
  })
  .strict();

/** Instructor-only (mounted behind requireInstructor): classes, their learners, actions, CSV grades. */
export function classesRouter(
  service: ClassroomService,
  catalog: LabCatalog,
  stuckAfterMs: number,
  parameters: ParametersOf,
): express.Router {
  const router = express.Router();

  // The labs a new class can be for.
  router.get('/labs', (_req, res) => {
    res.json({ labs: catalog.list().map(({ id, title, summary }) => ({ id, title, summary })) });
  });
  const snapshotDeps = { store: service.store, sessions: service.sessions, steps: service.steps, stuckAfterMs };

  router.get('/classes', (_req, res) => {
    res.json({
      classes: service.store.classes.list().map(({ id, name, joinCode, labId, createdAt, endedAt, expectedSize }) => ({
        id,
        name,
        joinCode,
        labId,
        createdAt,
        endedAt,
        expectedSize,
      })),
    } satisfies { classes: ClassSummary[] });
  });

  router.post('/classes', (req, res) => {
    const body = newClassBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, body.error.issues[0]?.message ?? 'Send JSON {"name": "..."}');
    const labId = body.data.labId ?? catalog.list()[0]?.id;
    if (!labId || !catalog.get(labId)) throw new HttpError(404, 'No such lab');
    const { row, apiToken } = service.createClass(body.data.name, labId, body.data.expectedSize);
    res.status(201).json({ ...classSnapshot(snapshotDeps, row), apiToken });
  });

  router.get('/classes/:classId', (req, res) => {
    res.json(classSnapshot(snapshotDeps, service.classOr404(req.params.classId)));
  });

  // The token is shown once: here, or when the class is created.
  router.post('/classes/:classId/api-token', (req, res) => {
    res.status(201).json({ apiToken: service.regenerateApiToken(service.classOr404(req.params.classId)) });
  });

  router.post('/classes/:classId/end', async (req, res) => {
    const ended = await service.endClass(service.classOr404(req.params.classId));
    res.json({ endedLabs: ended });
  });

  router.get('/classes/:classId/learners/:learnerId', (req, res) => {
    const cls = service.classOr404(req.params.classId);
    const learner = service.learnerOr404(cls, req.params.learnerId);
    const sessions = service.store.labSessions.listByLearner(learner.id);
    const classLab = catalog.get(cls.labId);
    res.json({
      learner: { id: learner.id, displayName: learner.displayName },
      liveSessionId: service.liveSessionOf(cls, learner.id) ?? null,
      parameters: classLab ? { ...parameters(learner.id, classLab) } : {},
      attempts: sessions
        .flatMap((session) => service.store.attempts.listBySession(session.id))
        .sort((a, b) => a.at - b.at),
      events: sessions.flatMap((session) => service.store.events.listBySession(session.id)).sort((a, b) => a.at - b.at),
    } satisfies LearnerDetail);
  });

  router.post('/classes/:classId/learners/:learnerId/reset', async (req, res) => {
    const cls = service.classOr404(req.params.classId);
    await service.resetLearner(cls, service.learnerOr404(cls, req.params.learnerId).id);
    res.status(204).end();
  });

  router.post('/classes/:classId/learners/:learnerId/wake', async (req, res) => {
    const cls = service.classOr404(req.params.classId);
    await service.wakeLearner(cls, service.learnerOr404(cls, req.params.learnerId).id);
    res.status(204).end();
  });

  router.post('/classes/:classId/learners/:learnerId/end', async (req, res) => {
    const cls = service.classOr404(req.params.classId);
    await service.endLearner(cls, service.learnerOr404(cls, req.params.learnerId).id);
    res.status(204).end();
  });

  // Removes the learner from the class: their cookie stops working here and their labs end.
  router.post('/classes/:classId/learners/:learnerId/remove', async (req, res) => {
    const cls = service.classOr404(req.params.classId);
    const ended = await service.removeLearner(cls, service.learnerOr404(cls, req.params.learnerId).id);
    res.json({ removed: true, labsEnded: ended });
  });

  router.post('/classes/:classId/messages', (req, res) => {
    const cls = service.classOr404(req.params.classId);
    const body = messageBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, body.error.issues[0]?.message ?? 'Send JSON {"text": "..."}');
    const learnerId = body.data.learnerId ? service.learnerOr404(cls, body.data.learnerId).id : undefined;
    res.json({ delivered: service.messageLearners(cls, body.data.text, learnerId) });
  });

  router.get('/classes/:classId/grades.csv', (req, res) => {
    const cls = service.classOr404(req.params.classId);
    const { steps, rows } = classGrades(service, cls);
    const filename = `grades-${cls.joinCode}-${new Date().toISOString().slice(0, 10)}.csv`;
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="${filename}"`);
    res.send(toCsv(gradeTable(steps, rows)));
  });

  return router;
}
