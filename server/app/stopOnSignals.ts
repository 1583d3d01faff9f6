import type { Log } from '../log/Log';
import type { RunningServer } from './startServer';

/** SIGINT/SIGTERM close the server once, then exit; a close that hangs is cut short. */
export function stopOnSignals(running: RunningServer, keepLabs: boolean, log: Log): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
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
