import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { removeEveryLab } from '../support/removeEveryLab';
import { runtimeConfigFor } from '../support/runtimeConfig';
import { runServerUntilListening, type ServerProcess } from '../support/serverProcess';
import { guestCookie } from './support/testServer';
import { testNamespace } from '../support/testNamespace';

const env = {
  LAB_INSTANCE: testNamespace('t2nd'),
  DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'ipl-second-')),
  LAB_WARM_POOL: '1',
  HOST: '127.0.0.1',
};
const LAB = 'iptables-single-server';
const runtime = DockerRuntime.fromConfig(runtimeConfigFor(env.LAB_INSTANCE, env));

/** Runs main.ts to its exit; resolves with its exit code and everything it printed. */
function runToExit(extra: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    env: { ...process.env, PORT: '0', ...env, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // A process that never exits is killed, so the test says so; starting Node and tsx on a
  // loaded host alone has taken a minute.
  const killer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, output });
    });
  });
}

async function session(
  base: string,
  cookie: string,
  id: string,
): Promise<{ status: number; body: { status?: string } }> {
  const res = await fetch(`${base}/api/sessions/${id}`, { headers: { cookie } });
  return { status: res.status, body: (await res.json()) as { status?: string } };
}

describe('one server per data directory, and warm labs handed over for good', () => {
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await removeEveryLab(env);
  });

  it('a second server on the same data directory exits with a clear message and touches nothing', async () => {
    server = await runServerUntilListening(env);
    const base = server.url;
    await expect
      .poll(async () => ((await (await fetch(`${base}/healthz`)).json()) as { warmLabs: number }).warmLabs, {
        timeout: 90_000,
        interval: 500,
      })
      // One warm lab per lab of the catalog; both may be ready by the first poll.
      .toBeGreaterThanOrEqual(1);
    const cookie = await guestCookie(base);
    const started = await fetch(`${base}/api/labs/${LAB}/sessions`, { method: 'POST', headers: { cookie } });
    const lab = (await started.json()) as { id: string; status: string };
    expect(lab.status).toBe('ready');

    // Right after the handover: a second server, same data directory and instance, another port.
    const labsBefore = await runtime.list();
    const second = await runToExit({});
    expect(second.code).toBe(1);
    expect(second.output).toMatch(/another iptables-lab server is running on this data directory, pid \d+/);
    expect(second.output).not.toMatch(/reattached|removed .* orphaned/);
    const after = await session(base, cookie, lab.id);
    expect(after.body.status).toBe('ready');
    expect(await runtime.list()).toEqual(expect.arrayContaining(labsBefore));

    // Another data directory, same instance, but the port is taken: it fails at the port, before
    // it would have removed every lab its (empty) database does not know.
    const third = await runToExit({
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'ipl-third-')),
      PORT: new URL(base).port,
    });
    expect(third.code).toBe(1);
    expect(third.output).toMatch(/EADDRINUSE/);
    expect(third.output).not.toMatch(/removed .* orphaned/);
    expect(await runtime.list()).toEqual(expect.arrayContaining(labsBefore));
    expect((await session(base, cookie, lab.id)).body.status).toBe('ready');

    // kill -9, then a new start adopts the lab that came from the warm pool.
    await server.stop('SIGKILL');
    server = await runServerUntilListening(env);
    const adopted = await session(server.url, cookie, lab.id);
    expect(adopted.status).toBe(200);
    expect(adopted.body).toMatchObject({ id: lab.id, status: 'ready' });
  }, 600_000);
});
