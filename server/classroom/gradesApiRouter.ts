import { timingSafeEqual } from 'node:crypto';
import express from 'express';
import { HttpError } from '../http/HttpError';
import { classGrades } from './classSnapshot';
import type { ClassroomService } from './ClassroomService';
import { isoOrBlank } from './grades';
import { RateLimiter } from './RateLimiter';
import { rateLimited } from './requestGuards';

/**
 * GET /api/classes/:classId/grades with `Authorization: Bearer <class API token>`: the CSV's
 * data as JSON, for automated pulls. No cookies involved, so no CSRF surface.
 */
export function gradesApiRouter(service: ClassroomService): express.Router {
  const router = express.Router();
  router.get('/classes/:classId/grades', rateLimited(new RateLimiter(30, 2000), 'grade requests'), (req, res) => {
    const cls = service.classOr404(req.params.classId);
    const given = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!given) throw new HttpError(401, 'Send the class API token as "Authorization: Bearer <token>"');
    const a = Buffer.from(given);
    const b = Buffer.from(cls.apiToken);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new HttpError(403, 'Wrong API token for this class');
    const { steps, rows } = classGrades(service, cls);
    res.json({
      class: { id: cls.id, name: cls.name, joinCode: cls.joinCode, labId: cls.labId },
      steps,
      learners: rows.map((row) => ({
        id: row.learnerId,
        displayName: row.displayName,
        steps: Object.fromEntries(Object.entries(row.firstPass).map(([step, at]) => [step, at === null ? null : isoOrBlank(at)])),
        total: row.total,
        lastActivity: row.lastActivity === null ? null : isoOrBlank(row.lastActivity),
      })),
    });
  });
  return router;
}
