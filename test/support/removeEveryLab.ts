import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig } from '../../server/config';
import { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';

/** How long nothing of the instance may reappear before the cleanup counts as done. */
const QUIET_MS = 3000;

/**
 * Cleanup after tests that run the server as its own process: every lab of their LAB_INSTANCE
 * goes, and the networks it kept ready. A server killed with SIGKILL may leave requests in flight that Docker still completes
 * (a warm lab's networks, say), so it sweeps again until the instance stays empty for a while.
 */
export async function removeEveryLab(env: Record<string, string>): Promise<void> {
  const runtime = DockerRuntime.fromConfig(loadConfig({ ...process.env, ...env }).runtime);
  await runtime.removeOrphans(new Set());
  for (let quietSince = Date.now(); Date.now() - quietSince < QUIET_MS;) {
    await delay(500);
    if ((await runtime.removeOrphans(new Set())).length > 0) quietSince = Date.now();
  }
  // The free slots' networks a server keeps ready for its next lab go too.
  await runtime.close();
}
