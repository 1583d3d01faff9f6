import { timingSafeEqual } from 'node:crypto';
import express from 'express';
import { HttpError } from '../http/HttpError';
import { classGrades } from '../classroom/classSnapshot';
import type { ClassroomService } from '../classroom/ClassroomService';
import { gradeRun, type RunAllChecks } from '../classroom/gradeRun';
import { isoOrBlank } from '../classroom/grades';
import { limitPerClient } from '../http/rateLimit';
import { apiTokenHash } from '../classroom/ids';
import { operatorToken } from '../classroom/operatorToken';

/**
 * For automated pulls, with `Authorization: Bearer <class API token>` (no cookies, so no CSRF):
 *   GET  /api/classes/:classId/grades     the CSV's data as JSON
 *   POST /api/classes/:classId/grade-run  runs every checker on every live lab now (npm run grade)
 */
export function gradesApiRouter(
  service: ClassroomService,
  runAllChecks: RunAllChecks | undefined,
  cookieSecret: string,
): express.Router {
  const router = express.Router();
  const limit = limitPerClient('grade requests', 120, 60_000);
  const authorized = (req: express.Request) => {
    const cls = service.classOr404(req.params.classId);
    const given = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!given) throw new HttpError(401, 'Send the class API token as "Authorization: Bearer <token>"');
    if (!same(apiTokenHash(given), cls.apiTokenHash) && !same(given, operatorToken(cookieSecret, cls.id)))
      throw new HttpError(403, 'Wrong API token for this class');
    return cls;
  };

  router.post('/classes/:classId/grade-run', limit, async (req, res) => {
    const cls = authorized(req);
    if (!runAllChecks) throw new HttpError(503, 'This server has no grading engine');
    res.json(await gradeRun(service, cls, runAllChecks));
  });

  router.get('/classes/:classId/grades', limit, (req, res) => {
    const cls = authorized(req);
    const { steps, rows } = classGrades(service, cls);
    res.json({
      class: { id: cls.id, name: cls.name, joinCode: cls.joinCode, labId: cls.labId },
      steps,
      learners: rows.map((row) => ({
        id: row.learnerId,
        displayName: row.displayName,
        steps: Object.fromEntries(
          Object.entries(row.firstPass).map(([step, at]) => [step, at === null ? null : isoOrBlank(at)]),
        ),
        total: row.total,
        lastActivity: row.lastActivity === null ? null : isoOrBlank(row.lastActivity),
      })),
    });
  });
  return router;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
