import { errorMessage } from '../log/errorMessage';
import { sessionIdSchema } from '../sessions/ids';
import express from 'express';
import { z } from 'zod';
import { learnerOf } from '../auth/requireLearner';
import type { LabCatalog } from '../../labkit/catalog';
import { LabSessionError, type LabSessions } from '../sessions/LabSessions';
import type { LabSession } from '../sessions/labSessionTypes';
import { PoolExhaustedError } from '../runtime/PoolExhaustedError';
import { HttpError } from '../http/HttpError';
import { sessionView, type SessionViewTiming } from './sessionViewOf';
import type { Log } from '../log/Log';

const labIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/);

/**
 * Start, read, reset, keep alive and end lab sessions. Someone else's session answers exactly
 * like a missing one (404), so ids cannot be probed.
 */
export function sessionsRouter({
  sessions,
  catalog,
  timing,
  log,
  mayStart,
  startLab,
}: {
  sessions: LabSessions;
  catalog: LabCatalog;
  timing: SessionViewTiming;
  log: Log;
  /** Throws an HttpError when the learner may not start a lab (their class has ended). */
  mayStart: (learnerId: string) => void;
  /** Starts the learner's lab, or finds the one they have (LabSessions.start, the classroom told). */
  startLab: (learnerId: string, labId: string) => Promise<LabSession>;
}): express.Router {
  const router = express.Router();
  const view = (session: LabSession) => sessionView(session, catalog.get(session.labId), timing);
  const owned = (req: express.Request, res: express.Response): LabSession => {
    const id = sessionIdSchema.safeParse(req.params.sessionId);
    const session = id.success ? sessions.getOwned(id.data, learnerOf(res)) : undefined;
    if (!session) throw new HttpError(404, 'No such lab session');
    return session;
  };

  router.post('/labs/:labId/sessions', async (req, res) => {
    const labId = labIdSchema.safeParse(req.params.labId);
    if (!labId.success || !catalog.get(labId.data)) throw new HttpError(404, 'No such lab');
    mayStart(learnerOf(res));
    const before = sessions.listOwned(learnerOf(res)).some((s) => s.labId === labId.data);
    const session = await mapErrors(log, () => startLab(learnerOf(res), labId.data));
    res.status(before ? 200 : 201).json(view(session));
  });

  router.get('/sessions', (_req, res) => {
    res.json({ sessions: sessions.listOwned(learnerOf(res)).map(view) });
  });

  router.get('/sessions/:sessionId', (req, res) => {
    res.json(view(owned(req, res)));
  });

  router.post('/sessions/:sessionId/keepalive', (req, res) => {
    const session = owned(req, res);
    sessions.touch(session.id);
    res.json(view(session));
  });

  router.post('/sessions/:sessionId/reset', async (req, res) => {
    const session = owned(req, res);
    res.json(view(await mapErrors(log, () => sessions.reset(session.id))));
  });

  // Machines stopped, files kept: the gentle way to leave; Resume (wake) boots them again.
  router.post('/sessions/:sessionId/sleep', async (req, res) => {
    const session = owned(req, res);
    res.json(view(await mapErrors(log, () => sessions.sleep(session.id, 'learner'))));
  });

  router.post('/sessions/:sessionId/wake', async (req, res) => {
    const session = owned(req, res);
    res.json(view(await mapErrors(log, () => sessions.wake(session.id))));
  });

  router.delete('/sessions/:sessionId', async (req, res) => {
    const session = owned(req, res);
    await sessions.end(session.id, 'learner');
    res.status(204).end();
  });

  return router;
}

/** Labs end every few minutes (learners leave, idle labs are reaped): worth asking again then. */
const RETRY_LATER = { 'Retry-After': '120' };

async function mapErrors<T>(log: Log, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof LabSessionError) {
      const status = {
        'unknown-lab': 404,
        capacity: 503,
        'not-found': 404,
        ended: 409,
        busy: 409,
        unsupported: 501,
      }[error.kind];
      throw new HttpError(
        status,
        error.message,
        error.kind === 'capacity' ? 'capacity' : undefined,
        error.kind === 'capacity' ? RETRY_LATER : {},
      );
    }
    if (error instanceof PoolExhaustedError) {
      throw new HttpError(
        503,
        'All lab places on this server are in use; try again in a few minutes',
        'capacity',
        RETRY_LATER,
      );
    }
    if (error instanceof HttpError) throw error;
    log(`lab start/reset failed: ${errorMessage(error)}`);
    throw new HttpError(503, 'The lab machines could not be started; please try again');
  }
}
