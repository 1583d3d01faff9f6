import type Docker from 'dockerode';
import { bootCount, waitForBoot } from './waitForBoot';
import { untimed, type PhaseClock } from './phaseClock';

/** Docker answers 304 when a container already is in the state asked for. */
function alreadyThere(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 304;
}

/**
 * Stops a machine and keeps its writable layer: the learner's files survive, the processes do
 * not. Two seconds for tini to pass SIGTERM on; nothing inside needs longer.
 */
export async function stopMachine(container: Docker.Container): Promise<void> {
  await container.stop({ t: 2 }).catch((error: unknown) => {
    if (!alreadyThere(error)) throw error;
  });
}

/**
 * Starts a stopped machine and waits for its boot script to finish, which applies
 * its saved firewall rules like a real server's reboot. A machine already running (woken twice,
 * or never fully stopped) is left alone.
 */
export async function startMachine(
  container: Docker.Container,
  timeoutMs: number,
  clock: PhaseClock = untimed,
  onStarted: () => void = () => undefined,
): Promise<void> {
  const info = await container.inspect();
  if (info.State.Running) {
    onStarted();
    return;
  }
  const previousBoots = await bootCount(container);
  await clock('start', async () => {
    try {
      await container.start();
    } catch (error) {
      if (!alreadyThere(error)) throw error;
    }
  });
  onStarted();
  await clock('boot', () => waitForBoot(container, previousBoots, timeoutMs));
}
