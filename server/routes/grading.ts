import { sessionIdSchema } from '../sessions/ids';
import express from 'express';
import { z } from 'zod';
import type { LabCatalog } from '../../labkit/catalog';
import type { LabModule } from '../../labkit/types';
import { learnerOf } from '../auth/requireLearner';
import { labView } from '../grading/contexts';
import { GradingError, type GradingEngine } from '../grading/GradingEngine';
import type { CheckView, HintsView } from '../../protocol/stepsViews';
import { stepsViewOf } from '../grading/stepsViewOf';
import type { LabSessions } from '../sessions/LabSessions';
import type { LabSession } from '../sessions/labSessionTypes';
import { HttpError } from '../http/HttpError';

const stepIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/);
const answersSchema = z
  .record(z.string().regex(/^[a-z0-9-]{1,32}$/), z.string().max(500))
  .refine((a) => Object.keys(a).length <= 10);
const checkBody = z.object({ answers: answersSchema.optional() }).strict();
const autoCheckBody = z.object({ enabled: z.boolean() }).strict();

/**
 * Steps, checks, results and hints of the learner's own lab session (README "Grading API").
 * Someone else's session answers exactly like a missing one (404).
 */
export function gradingRouter(sessions: LabSessions, catalog: LabCatalog, engine: GradingEngine): express.Router {
  const router = express.Router();
  const owned = (req: express.Request, res: express.Response): { session: LabSession; lab: LabModule } => {
    const id = sessionIdSchema.safeParse(req.params.sessionId);
    const session = id.success ? sessions.getOwned(id.data, learnerOf(res)) : undefined;
    const lab = session && catalog.get(session.labId);
    if (!session || !lab) throw new HttpError(404, 'No such lab session');
    return { session, lab };
  };
  const step = (req: express.Request, lab: LabModule) => {
    const id = stepIdSchema.safeParse(req.params.stepId);
    const found = id.success ? lab.steps.find((s) => s.id === id.data) : undefined;
    if (!found) throw new HttpError(404, 'No such step in this lab');
    return found;
  };

  router.get('/sessions/:sessionId/steps', (req, res) => {
    const { session, lab } = owned(req, res);
    const view = stepsViewOf(session, lab, engine);
    if (!view) throw new HttpError(409, 'The lab is still starting');
    res.json(view);
  });

  router.post('/sessions/:sessionId/steps/:stepId/check', async (req, res) => {
    const { session, lab } = owned(req, res);
    const target = step(req, lab);
    const body = checkBody.safeParse(req.body ?? {});
    if (!body.success) throw new HttpError(400, 'Expected {"answers": {"<question id>": "<text>"}}');
    // Checking a dead machine would only blame the learner; say what happened instead.
    if (session.status === 'broken')
      throw new HttpError(409, session.problem ?? 'A machine stopped unexpectedly: Reset lab to get fresh machines');
    if (body.data.answers) engine.session(session.id).setAnswers(target.id, body.data.answers);
    sessions.touch(session.id);
    try {
      res.json((await engine.check(session.id, target.id, 'check')) satisfies CheckView);
    } catch (error) {
      if (error instanceof GradingError) throw new HttpError(error.kind === 'unknown-step' ? 404 : 409, error.message);
      throw error;
    }
  });

  router.post('/sessions/:sessionId/steps/:stepId/hints', (req, res) => {
    const { session, lab } = owned(req, res);
    const target = step(req, lab);
    if (!session.deployment) throw new HttpError(409, 'The lab is still starting');
    const hints = target.hints(labView(session.deployment, engine.parametersOf(session.learnerId, lab)));
    const revealed = engine.session(session.id).revealHint(target.id, hints.length);
    res.json({ stepId: target.id, hints: hints.slice(0, revealed), hintsAvailable: hints.length } satisfies HintsView);
  });

  router.get('/sessions/:sessionId/results', (req, res) => {
    const { session, lab } = owned(req, res);
    const attempts = engine.attempts(session.id);
    res.json({
      steps: lab.steps.map((s) => ({
        id: s.id,
        attempts: attempts
          .filter((a) => a.stepId === s.id)
          .map(({ at, passed, message }) => ({ at: new Date(at).toISOString(), passed, message })),
      })),
    });
  });

  router.put('/sessions/:sessionId/auto-check', (req, res) => {
    const { session } = owned(req, res);
    const body = autoCheckBody.safeParse(req.body ?? {});
    if (!body.success) throw new HttpError(400, 'Expected {"enabled": true|false}');
    engine.session(session.id).autoCheck = body.data.enabled;
    res.json({ autoCheck: body.data.enabled });
  });

  return router;
}
