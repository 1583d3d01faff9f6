import compression from 'compression';
import express, { type Express } from 'express';
import path from 'node:path';
import type { Log } from '../log/Log';
import type { Routes } from '../routes';
import { HttpError } from '../http/HttpError';
import { errorHandler } from './errorHandler';
import { notFoundPage } from './notFoundPage';
import { sameSiteWrites } from './sameSiteWrites';
import { securityHeaders } from './securityHeaders';

export interface AppDeps {
  webRoot: string;
  log: Log;
  /** server/routes: the API (under /api) and the page routes that run before the static files. */
  routes: Pick<Routes, 'api' | 'pages'>;
  /** The extensions' routes (ServerExtension.routes), under /api before the product's own. */
  extensionRoutes?: express.Router;
  /** The extensions' routes other sites may post to (ServerExtension.siteRoutes), ahead of the same-site check. */
  siteRoutes?: express.Router;
  /** Extra facts for /healthz (e.g. how many warm labs are ready). */
  health?: () => Record<string, unknown>;
  /** Express "trust proxy" (TRUST_PROXY): false unless an operator named the proxy. */
  trustProxy?: false | number | string;
  /** Origins besides our own allowed to make state-changing requests (ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  /** Requests wait for this (labs from before a restart being taken back) before they are served. */
  ready?: Promise<void>;
}

export function createApp({
  webRoot,
  log,
  routes,
  extensionRoutes,
  siteRoutes,
  health,
  trustProxy = false,
  allowedOrigins = [],
  ready,
}: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', trustProxy);
  app.use(securityHeaders());
  // Brotli or gzip for every response that benefits (the page's JS shrinks about 4x).
  app.use(compression());
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, ...health?.() });
  });
  // Until then a learner's own lab would look missing; holding the request is kinder than a 404.
  if (ready) app.use((_req, _res, next) => void ready.then(() => next(), next));
  if (siteRoutes) app.use(siteRoutes);
  app.use(sameSiteWrites(allowedOrigins, log));
  app.use(express.json({ limit: '16kb' }));
  if (extensionRoutes) app.use('/api', extensionRoutes);
  app.use('/api', routes.api);
  app.use('/api', (_req, _res, next) => next(new HttpError(404, 'No such API route')));
  app.use(routes.pages);
  // Vite names assets by content hash, so they never change under a name: let browsers keep
  // them without revalidating, which makes the jump from "Start lab" to the lab page cheaper.
  app.use('/assets', express.static(path.join(webRoot, 'assets'), { immutable: true, maxAge: '365d' }));
  app.use(express.static(webRoot, { index: 'index.html', extensions: ['html'] }));
  app.use(notFoundPage());
  app.use((_req, _res, next) => next(new HttpError(404, 'Page not found')));
  app.use(errorHandler(log));
  return app;
}

export const defaultWebRoot = path.resolve(import.meta.dirname, '../../web/dist');
