import express from 'express';
import { setLearnerCookie } from '../auth/setLearnerCookie';
import { z } from 'zod';
import { LEARNER_COOKIE, readCookie, type LearnerCookies } from '../auth/learnerCookie';
import { HttpError } from '../http/HttpError';
import type { LabCatalog } from '../../labkit/catalog';
import type { ClassRow } from '../store/ClassesRepo';
import type { ClassroomService } from '../classroom/ClassroomService';
import { displayNameSchema } from '../classroom/displayName';
import { newLearnerId } from '../classroom/ids';
import { joinCodeSchema } from '../classroom/joinCode';
import { limitPerClient } from '../http/rateLimit';

const joinBody = z.object({ code: z.string().max(32), displayName: z.string().max(200) }).strict();

/**
 * Learners join a class with its code and a display name, and become a learner of that class
 * (a new learner cookie). Code lookups are rate-limited per address, so codes cannot be enumerated.
 */
export function joinRouter(service: ClassroomService, cookies: LearnerCookies, catalog: LabCatalog): express.Router {
  const router = express.Router();
  // Joining: 60 per 10 minutes per client address, so a class of 30 behind one NAT joins at
  // once, even twice. Looking a code up (the join page asks when it opens) has a bucket of its own.
  const joins = limitPerClient('join attempts', 60, 600_000);
  const lookups = limitPerClient('join code lookups', 300, 600_000);

  const openClass = (raw: unknown): ClassRow => {
    const code = joinCodeSchema.safeParse(raw);
    const cls = code.success ? service.store.classes.byJoinCode(code.data) : undefined;
    if (!cls) throw new HttpError(404, 'No class has this join code; check it with your instructor');
    if (cls.endedAt !== null) throw new HttpError(410, 'This class has ended');
    return cls;
  };
  const currentLearner = (req: express.Request, cls: ClassRow): string | undefined => {
    const id = cookies.verify(readCookie(req.headers.cookie, LEARNER_COOKIE));
    return id && service.store.learners.get(id)?.classId === cls.id ? id : undefined;
  };

  router.get('/join/:code', lookups, (req, res) => {
    const cls = openClass(req.params.code);
    const me = currentLearner(req, cls);
    res.json({
      className: cls.name,
      labId: cls.labId,
      labTitle: catalog.get(cls.labId)?.title ?? cls.labId,
      joinedAs: me ? (service.store.learners.get(me)?.displayName ?? null) : null,
    });
  });

  router.post('/join', joins, (req, res) => {
    const body = joinBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Send JSON {"code": "...", "displayName": "..."}');
    const cls = openClass(body.data.code);
    const name = displayNameSchema.safeParse(body.data.displayName);
    if (!name.success) throw new HttpError(400, name.error.issues[0]?.message ?? 'Not a valid name');
    const cookieLearner = cookies.verify(readCookie(req.headers.cookie, LEARNER_COOKIE));
    if (cookieLearner && service.store.learners.isRemoved(cookieLearner))
      throw new HttpError(403, 'Your instructor removed you from this class; ask them if this is a mistake');
    const existing = currentLearner(req, cls);
    if (existing) {
      res.json({ learnerId: existing, labId: cls.labId });
      return;
    }
    const learner = service.store.learners.create({
      id: newLearnerId(),
      displayName: name.data,
      classId: cls.id,
      createdAt: Date.now(),
    });
    service.changes.notify(learner.id);
    setLearnerCookie(req, res, cookies, learner.id);
    res.status(201).json({ learnerId: learner.id, labId: cls.labId });
  });

  return router;
}
