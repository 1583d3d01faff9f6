import { errorMessage } from '../log/errorMessage';
import express from 'express';
import type { Log } from '../log/Log';
import type { SessionEventSnapshot } from '../sessions/labSessionTypes';
import type { CheckResultEvent, ExtensionDeps, ServerExtension } from './ServerExtension';

/** Calls the extensions' hooks in list order; one that throws is logged, and the rest still run. */
export class ServerHooks {
  constructor(
    private readonly extensions: readonly ServerExtension[],
    private readonly log: Log,
  ) {}

  /** An extension that cannot start stops the server from starting. */
  start(deps: ExtensionDeps): void {
    for (const extension of this.extensions) extension.start?.(deps);
  }

  sessionEvent(event: SessionEventSnapshot): void {
    for (const extension of this.extensions)
      this.run(extension, `session event ${event.type}`, () => extension.onSessionEvent?.(event));
  }

  /** Whether any extension listens to check results (computing the progress summary costs a query). */
  get wantCheckResults(): boolean {
    return this.extensions.some((extension) => extension.onCheckResult !== undefined);
  }

  checkResult(result: CheckResultEvent): void {
    for (const extension of this.extensions)
      this.run(extension, 'check result', () => extension.onCheckResult?.(result));
  }

  /** The extensions' extra HTTP routes, one router mounted under /api. */
  routes(deps: ExtensionDeps): express.Router {
    const router = express.Router();
    for (const extension of this.extensions) extension.routes?.(router, deps);
    return router;
  }

  /** The extensions' routes other sites may post to, one router mounted at the root. */
  siteRoutes(deps: ExtensionDeps): express.Router {
    const router = express.Router();
    for (const extension of this.extensions) extension.siteRoutes?.(router, deps);
    return router;
  }

  /** In reverse order: an extension closes before those it was started after. */
  async close(): Promise<void> {
    for (const extension of [...this.extensions].reverse()) {
      try {
        await extension.close?.();
      } catch (error) {
        this.log(`extension ${extension.name}: close failed: ${errorMessage(error)}`, 'error');
      }
    }
  }

  private run(extension: ServerExtension, what: string, hook: () => void): void {
    try {
      hook();
    } catch (error) {
      this.log(`extension ${extension.name}: ${what} failed: ${errorMessage(error)}`, 'error');
    }
  }
}
