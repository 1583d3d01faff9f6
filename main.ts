import { ConfigError, loadConfig } from './server/config';
import { catalog } from './labs';
import { gradingFactory } from './server/grading/gradingFactory';
import { startServer } from './server/app/startServer';
import { stopOnSignals } from './server/app/stopOnSignals';
import { DataDirLockedError } from './server/lifecycle/dataDirLock';
import { createLogger } from './server/log/createLogger';
import { DockerRuntime } from './server/runtime/docker/DockerRuntime';
import { ltiExtension } from './server/lti/ltiExtension';
import { errorMessage } from './server/log/errorMessage';

// pino writes synchronously to stdout, so a line logged just before process.exit is not lost.
// It logs at info until the configuration (LOG_LEVEL) is read: a bad configuration is reported.
const logging = createLogger();
const { log } = logging;

/** Wires the pieces together: the only module that knows both the server and the labs. */
async function main(): Promise<void> {
  const config = loadConfig();
  logging.setLevel(config.log.level);
  const runtime = DockerRuntime.fromConfig(config.runtime, log);

  // startServer reattaches to labs that outlived a restart, then removes the orphans.
  const running = await startServer({
    config,
    runtime,
    log,
    catalog,
    grading: gradingFactory(runtime, log, config.grading),
    extensions: [ltiExtension()],
  });
  log(`serving on ${running.url}`);

  stopOnSignals(running, config.sessions.keepOnShutdown, log);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    log(error.message, 'error');
  } else {
    log(`iptables-lab could not start: ${errorMessage(error)}`, 'error');
  }
  process.exit(1);
});
