import http from 'node:http';
import { ConfigError, loadConfig } from './config';
import { createApp, defaultWebRoot } from './http/createApp';
import { DockerRuntime } from './runtime/docker/DockerRuntime';

/** Wires the pieces together; no logic of its own. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = (message: string): void => console.log(`[iptables-lab] ${message}`);
  const runtime = new DockerRuntime({ socketPath: config.dockerSocket, ...config.lab });

  const removed = await runtime.removeOrphans(new Set());
  if (removed.length > 0) log(`removed ${removed.length} orphaned lab(s): ${removed.join(', ')}`);

  const app = createApp({ webRoot: defaultWebRoot, log, apiRouters: [] });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  log(`serving on http://${config.host}:${config.port}`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(`iptables-lab could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
