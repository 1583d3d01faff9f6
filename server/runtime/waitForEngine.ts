import { errorMessage } from '../log/errorMessage';
import type { LabRuntime } from './LabRuntime';
import type { Log } from '../log/Log';

/**
 * A server started while the container engine is down waits for it instead of exiting: it says
 * so once, then again every minute, and carries on as soon as the engine answers.
 */
export async function waitForEngine(runtime: LabRuntime, where: string, log: Log, retryMs = 2000): Promise<void> {
  let since: number | undefined;
  let lastSaid = 0;
  for (;;) {
    try {
      await runtime.ping();
      if (since !== undefined) log(`Docker answers at ${where}; starting`);
      return;
    } catch (error) {
      const now = Date.now();
      since ??= now;
      if (now - lastSaid >= 60_000) {
        lastSaid = now;
        const why = errorMessage(error);
        log(
          `Docker is not answering at ${where} (${why}); waiting for it, retrying every ${retryMs / 1000} s. Start it with: sudo systemctl start docker   (or: sudo dockerd &)`,
        );
      }
    }
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}
