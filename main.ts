import { ConfigError, loadConfig } from './server/config';
import { catalog } from './labs';
import { gradingFactory } from './server/grading/gradingFactory';
import { startServer } from './server/http/startServer';
import { DataDirLockedError } from './server/lifecycle/dataDirLock';
import { createLogger } from './server/log/createLogger';
import { DockerRuntime } from './server/runtime/docker/DockerRuntime';

// pino writes synchronously to stdout, so a line logged just before process.exit is not lost.
const { log } = createLogger();

/** Wires the pieces together: the only module that knows both the server and the labs. */
async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = new DockerRuntime({ socketPath: config.dockerSocket, ...config.lab, log });

  // startServer reattaches to labs that outlived a restart, then removes the orphans.
  const running = await startServer({
    config,
    runtime,
    log,
    catalog,
    grading: gradingFactory(runtime, log),
  });
  log(`serving on ${running.url}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    const keepLabs = config.lab.keepOnShutdown;
    log(
      `${signal}: shutting down; ${keepLabs ? "learners' labs keep running for the next start" : 'ending every lab'}`,
    );
    // Ending every lab removes its machines, networks and disks; a busy host needs more than a
    // few seconds for 80 labs, and cutting it short leaks them.
    const force = setTimeout(() => process.exit(1), keepLabs ? 15_000 : 120_000);
    force.unref();
    void running.close({ keepLabs }).finally(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    log(error.message, 'error');
  } else {
    log(`iptables-lab could not start: ${error instanceof Error ? error.message : String(error)}`, 'error');
  }
  process.exit(1);
});
