import { randomBytes } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import { HttpError } from '../http/HttpError';
import type { Store } from '../store/Store';
import type { PlatformsRepo } from './PlatformsRepo';
import type { ScoresRepo } from './ScoresRepo';
import { toolUrls } from './toolUrls';

const httpUrl = z.url({ protocol: /^https?$/ }).max(2048);

/** A platform registration, as the dashboard form and the CLI send it. */
export const platformInput = z
  .object({
    name: z.string().trim().min(1).max(80),
    issuer: z.string().trim().min(1).max(1024),
    clientId: z.string().trim().min(1).max(1024),
    authUrl: httpUrl,
    tokenUrl: httpUrl,
    jwksUrl: httpUrl,
    deploymentIds: z.array(z.string().trim().min(1).max(1024)).min(1).max(50),
  })
  .strict();
export type PlatformInput = z.infer<typeof platformInput>;

export const newPlatformId = (): string => randomBytes(8).toString('hex');

/**
 * The instructor's side (under /api/instructor/lti, behind the instructor guard): the URLs to
 * paste into the LMS, the registered LMSs, and the scores sent, waiting and failed.
 */
export function ltiApi(platforms: PlatformsRepo, scores: ScoresRepo, store: Store): express.Router {
  const router = express.Router();

  router.get('/', (req, res) => {
    const names = new Map<string, string>();
    const nameOf = (learnerId: string): string => {
      if (!names.has(learnerId)) names.set(learnerId, store.learners.get(learnerId)?.displayName ?? learnerId);
      return names.get(learnerId) as string;
    };
    res.json({
      tool: toolUrls(req),
      platforms: platforms.list(),
      scores: scores.recent(100).map((s) => ({ ...s, learner: nameOf(s.learnerId) })),
    });
  });

  router.post('/platforms', (req, res) => {
    const body = platformInput.safeParse(req.body);
    if (!body.success)
      throw new HttpError(400, `Check the registration: ${body.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    res.status(201).json(platforms.save({ ...body.data, id: newPlatformId(), createdAt: Date.now() }));
  });

  router.delete('/platforms/:id', (req, res) => {
    if (!platforms.remove(req.params.id)) throw new HttpError(404, 'No such LMS');
    res.status(204).end();
  });

  return router;
}
