import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadCookieSecret } from '../auth/cookieSecret';
import { learnerCookies } from '../auth/learnerCookie';
import { requireLearner } from '../auth/requireLearner';
import type { Config } from '../config';
import type { LabRuntime } from '../runtime/LabRuntime';
import { defaultCatalog, type LabCatalog } from '../sessions/labCatalog';
import { LabSessions } from '../sessions/LabSessions';
import { TerminalHubs } from '../sessions/terminal/TerminalHubs';
import { attachTerminalSockets } from '../ws/terminalSockets';
import { authRouter } from './authRouter';
import { createApp, defaultWebRoot } from './createApp';
import { labsRouter } from './labsRouter';
import { sessionsRouter } from './sessionsRouter';

export interface StartServerOptions {
  config: Config;
  runtime: LabRuntime;
  log: (message: string) => void;
  catalog?: LabCatalog;
  /** Routers from other areas (e.g. grading), mounted under /api behind the learner check. */
  learnerRouters?: (deps: { sessions: LabSessions; hubs: TerminalHubs }) => express.Router[];
}

export interface RunningServer {
  url: string;
  server: http.Server;
  sessions: LabSessions;
  hubs: TerminalHubs;
  /** Stops accepting, ends every lab (destroying its machines) and drains the warm pool. */
  close(): Promise<void>;
}

/** Builds the whole product from a Config and a runtime, and listens. */
export async function startServer({ config, runtime, log, catalog = defaultCatalog, learnerRouters }: StartServerOptions): Promise<RunningServer> {
  const cookies = learnerCookies(loadCookieSecret(config.cookieSecret, config.dataDir));
  const idleWarningMs = config.lab.idleWarningSeconds * 1000;
  const sessions = new LabSessions({
    runtime,
    catalog,
    idleMs: config.lab.idleMinutes * 60_000,
    idleWarningMs,
    warmPoolSize: config.lab.warmPool,
    maxLabs: config.lab.maxPerHost,
    log,
  });
  const hubs = new TerminalHubs(sessions, runtime, log);

  const learnerApi = express.Router();
  learnerApi.use(requireLearner(cookies));
  learnerApi.use(labsRouter(catalog));
  learnerApi.use(sessionsRouter(sessions, catalog, idleWarningMs, log));
  for (const router of learnerRouters?.({ sessions, hubs }) ?? []) learnerApi.use(router);

  const app = createApp({ webRoot: defaultWebRoot, log, apiRouters: [authRouter(cookies, config.guestAccess), learnerApi],
    health: () => ({ warmLabs: sessions.warmReady() }),
  });
  const server = http.createServer(app);
  server.on('clientError', (_error, socket) => socket.destroy());
  const wss = attachTerminalSockets(server, { allowedOrigins: config.allowedOrigins, cookies, sessions, hubs, catalog, log });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  sessions.startBackground();
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;

  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    server,
    sessions,
    hubs,
    async close() {
      for (const client of wss.clients) client.close(1001, 'The server is shutting down');
      server.close();
      server.closeAllConnections();
      await sessions.shutdown();
    },
  };
}
