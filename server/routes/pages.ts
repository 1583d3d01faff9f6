import express from 'express';
import path from 'node:path';
import type { InstructorTokens } from '../classroom/instructorToken';
import { instructorCookie } from '../classroom/requestGuards';

/**
 * Page routes in front of the static files: /join/CODE serves the join page, and the dashboard
 * page is only served to a signed-in instructor (everyone else lands on the sign-in page).
 */
export function pagesRouter(webRoot: string, tokens: InstructorTokens): express.Router {
  const router = express.Router();
  const page = (name: string) => path.join(webRoot, name);
  router.get('/join/:code', (_req, res) => {
    res.sendFile(page('join.html'));
  });
  router.get(['/dashboard', '/dashboard.html'], (req, res) => {
    const cookie = instructorCookie(req);
    if (!cookie || !tokens.verify(cookie)) {
      res.redirect(302, '/instructor');
      return;
    }
    res.setHeader('cache-control', 'no-store');
    res.sendFile(page('dashboard.html'));
  });
  return router;
}
