import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadCookieSecret } from '../auth/cookieSecret';
import { labParameters } from '../grading/labParameters';
import { learnerCookies } from '../auth/learnerCookie';
import { createClassroom } from '../classroom/createClassroom';
import { restoreSessions } from '../classroom/restoreSessions';
import type { Config } from '../config';
import type { GradingFactory } from '../grading/gradingFactory';
import type { LabRuntime } from '../runtime/LabRuntime';
import type { LabCatalog } from '../../labkit/catalog';
import { LabSessions } from '../sessions/LabSessions';
import { MachineFailures } from '../sessions/MachineFailures';
import { waitForEngine } from '../runtime/waitForEngine';
import { ScrollbackFiles } from '../sessions/terminal/ScrollbackFiles';
import { TerminalHubs } from '../sessions/terminal/TerminalHubs';
import { lockDataDir, type DataDirLock } from '../lifecycle/dataDirLock';
import { makeDataDirPrivate } from '../lifecycle/privateDataDir';
import type { Log } from '../log/Log';
import { Store } from '../store/Store';
import { attachUpgradeDispatcher } from '../ws/upgradeDispatcher';
import { trustProxyOf } from '../http/clientAddress';
import { FirewallWatches } from '../inspector/FirewallWatches';
import { registerRoutes } from '../routes';
import { createJournal } from '../journal/createJournal';
import type { Journal } from '../journal/Journal';
import { createApp, defaultWebRoot } from './createApp';
import { builtInExtensions, checkResultsTo } from './builtInExtensions';
import type { ServerExtension } from './ServerExtension';
import { ServerHooks } from './ServerHooks';

export interface StartServerOptions {
  config: Config;
  runtime: LabRuntime;
  log: Log;
  /** The labs to offer (main.ts passes labs/; tests pass the same or a test lab). */
  catalog: LabCatalog;
  /** Builds this server's grading engine (main.ts: gradingFactory); without it labs have no steps API. */
  grading?: GradingFactory;
  /** Integrations (the hooks): they hear every session event and check result, and may add routes. */
  extensions?: ServerExtension[];
}

export interface RunningServer {
  url: string;
  server: http.Server;
  sessions: LabSessions;
  hubs: TerminalHubs;
  /** What the host recorded of each lab session (for tools and tests; checkers get a reader). */
  journal: Journal;
  /** Stops accepting and drains the warm pool; ends every lab unless keepLabs (then the next start adopts them). */
  close(options?: { keepLabs?: boolean }): Promise<void>;
}

/** Builds the whole product from a Config and a runtime, and listens. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  // One server per data directory, decided before any database or Docker work: a second
  // server must touch nothing of the first one's.
  const lock = await lockDataDir(options.config.data.dir);
  try {
    return await startLocked(options, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

async function startLocked(
  { config, runtime, log, catalog, grading, extensions = [] }: StartServerOptions,
  lock: DataDirLock,
): Promise<RunningServer> {
  makeDataDirPrivate(config.data.dir, config.data.dbPath);
  const cookieSecret = loadCookieSecret(config.auth.cookieSecret, config.data.dir);
  const cookies = learnerCookies(cookieSecret);
  const parameters = labParameters(cookieSecret);
  const store = Store.open(config.data.dbPath);
  const sessions = new LabSessions({ ...config.sessions, runtime, catalog, log });
  const hubs = new TerminalHubs(sessions, runtime, log, new ScrollbackFiles(path.join(config.data.dir, 'scrollback')));
  const classroom = await createClassroom({
    ...config.classroom,
    maxLabs: config.sessions.maxLabs,
    store,
    sessions,
    catalog,
    cookieSecret,
    log,
  });
  const journaling = createJournal({
    db: store.db,
    runtime,
    sessions,
    hubs,
    catalog,
    namespace: config.runtime.namespace,
    log,
  });
  const graded = grading?.({
    catalog,
    sessions,
    hubs,
    store: classroom.progress,
    choices: store.gradingChoices,
    parameters,
    journal: (id, deployment) => journaling.journal.readerFor(id, deployment),
    onCheckRan: (id, check) => journaling.journal.recordCheck(id, check),
  });
  const engine = graded?.engine;
  const watches = new FirewallWatches(runtime, sessions, catalog, log);
  const hooks = new ServerHooks(
    [...builtInExtensions({ hubs, classroom, grading: graded, watches }), journaling.extension, ...extensions],
    log,
  );
  sessions.on((event) => hooks.sessionEvent(event));
  if (engine && hooks.wantCheckResults) engine.onResult(checkResultsTo(hooks, sessions, catalog, engine));
  const routes = registerRoutes({
    catalog,
    sessions,
    hubs,
    classroom,
    grading: engine,
    watches,
    journal: journaling.journal,
    cookies,
    cookieSecret,
    guests: config.auth.guests,
    timing: config.sessions,
    stuckAfterMs: config.classroom.stuckAfterMs,
    signInSlowdownMs: config.classroom.signInSlowdownMs,
    webRoot: defaultWebRoot,
    log,
  });

  const extensionDeps = {
    db: store.db,
    progress: classroom.progress,
    catalog,
    runtime,
    session: (id: string) => sessions.get(id),
    identify: routes.identify,
    classroom: classroom.service,
    signIn: { learners: cookies, instructors: classroom.tokens },
    dataDir: config.data.dir,
    log,
  };
  hooks.start(extensionDeps);
  const extensionRoutes = hooks.routes(extensionDeps);
  const siteRoutes = hooks.siteRoutes(extensionDeps);

  let restored: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (restored = resolve));
  const app = createApp({
    webRoot: defaultWebRoot,
    log,
    routes,
    extensionRoutes,
    siteRoutes,
    health: () => ({ warmLabs: sessions.warmReady() }),
    trustProxy: config.http.trustProxy,
    allowedOrigins: config.http.allowedOrigins,
    ready,
  });
  const server = createHttpServer(app, config.http.tls);
  server.on('clientError', (_error, socket) => socket.destroy());

  // The port first: a server that cannot listen must not adopt or remove anybody's labs.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, resolve);
  });
  try {
    // Labs that outlived a restart or crash are taken back; every other lab of this namespace goes.
    await waitForEngine(runtime, config.runtime.socketPath, log);
    await runtime.capabilities.hostSetup?.prepareHost();
    await journaling.journal.start();
    const known = await restoreSessions(store, runtime, (session) => sessions.adopt(session), log);
    const removed = await runtime.removeOrphans(known);
    await watches.removeStaleTraces();
    if (removed.length > 0) log(`removed ${removed.length} orphaned lab(s): ${removed.join(', ')}`);
    log(`up to ${config.sessions.maxLabs} labs at once (${config.sessions.maxLabsReason})`);
  } catch (error) {
    server.close();
    watches.close();
    await hooks.close();
    store.close();
    throw error;
  }
  restored();
  // Terminals only once their labs are known again (until then an upgrade is simply dropped,
  // and the page retries).
  const sockets = attachUpgradeDispatcher(server, routes.sockets, {
    allowedOrigins: config.http.allowedOrigins,
    trustProxy: trustProxyOf(app),
    identify: routes.identify,
    log,
  });
  sessions.startBackground();
  const failures = new MachineFailures(sessions, runtime, log);
  failures.start();
  const { port } = server.address() as AddressInfo;
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;

  return {
    url: `${config.http.tls ? 'https' : 'http'}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    server,
    sessions,
    hubs,
    journal: journaling.journal,
    async close({ keepLabs = false }: { keepLabs?: boolean } = {}) {
      sockets.close();
      watches.close();
      server.close();
      server.closeAllConnections();
      await hubs.stopSaving();
      if (keepLabs) hubs.saveAll();
      failures.stop();
      await sessions.shutdown({ keepLabs });
      await hubs.savesSettled();
      await hooks.close();
      store.close();
      await lock.release();
    },
  };
}

/** Plain HTTP, or HTTPS with the configured certificate (a class on a LAN without a proxy). */
function createHttpServer(app: http.RequestListener, tls: Config['http']['tls']): http.Server {
  if (!tls) return http.createServer(app);
  return https.createServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, app);
}
