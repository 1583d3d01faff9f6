import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalog } from '../../../labs';
import { loadConfig } from '../../../server/config';
import { gradingFactory } from '../../../server/grading/gradingFactory';
import type { ServerExtension } from '../../../server/app/ServerExtension';
import { startServer, type RunningServer } from '../../../server/app/startServer';
import { DockerRuntime } from '../../../server/runtime/docker/DockerRuntime';
import { silentLog, type Log } from '../../../server/log/Log';
import { testNamespace } from '../../support/testNamespace';

export interface TestServerOptions {
  grading?: boolean;
  log?: Log;
  extensions?: ServerExtension[];
}

export type TestServer = RunningServer & { namespace: string; runtime: DockerRuntime };

/**
 * The real server in-process on a random port, with a LAB_INSTANCE of its own so it can never
 * touch anybody else's labs. `close()` ends every lab it started. `grading: true` mounts the
 * grading engine and its routes as main.ts does.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const namespace = testNamespace(`t${Math.floor(Math.random() * 1e4)}`);
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LAB_INSTANCE: namespace,
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'ipl-test-')),
    LAB_WARM_POOL: '0',
    // Nor labs warmed for a class's roster when a test opens its dashboard (rosterWarming.test.ts turns it on).
    LAB_ROSTER_WARM_MINUTES: '0',
    ...env,
  });
  const runtime = DockerRuntime.fromConfig(config.runtime);
  const quiet = options.log ?? (process.env.TEST_SERVER_LOG ? (m: string) => console.log(`[server] ${m}`) : silentLog);
  const grading = options.grading ? { grading: gradingFactory(runtime, quiet, config.grading) } : {};
  const running = await startServer({
    config,
    runtime,
    log: quiet,
    catalog,
    ...grading,
    extensions: options.extensions,
  });
  return {
    ...running,
    namespace,
    runtime,
    async close() {
      await running.close();
      await runtime.removeOrphans(new Set());
      await runtime.close();
    },
  };
}

/** Signs in as a fresh guest; returns the Cookie header value. */
export async function guestCookie(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/guest`, { method: 'POST' });
  const setCookie = res.headers.get('set-cookie');
  if (!setCookie) throw new Error(`guest sign-in failed: HTTP ${res.status}`);
  return setCookie.split(';')[0] as string;
}

export async function api(
  baseUrl: string,
  route: string,
  init: { method?: string; cookie?: string; body?: unknown } = {},
): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = {};
  if (init.cookie) headers.cookie = init.cookie;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${route}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

export function wsUrl(baseUrl: string, pathname: string): string {
  return baseUrl.replace(/^http/, 'ws') + pathname;
}
