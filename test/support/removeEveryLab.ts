import { loadConfig } from '../../server/config';
import { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';

/** Cleanup after tests that run the server as its own process: every lab of their LAB_INSTANCE goes. */
export async function removeEveryLab(env: Record<string, string>): Promise<void> {
  const config = loadConfig({ ...process.env, ...env });
  await new DockerRuntime({ socketPath: config.dockerSocket, ...config.lab }).removeOrphans(new Set());
}
