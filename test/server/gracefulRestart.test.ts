import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { removeEveryLab } from '../support/removeEveryLab';
import { runServerUntilListening, type ServerProcess } from '../support/serverProcess';
import { createClass, instructorLogin, join, learnerCall, type LabSessionJson } from './support/classroomClient';
import { TerminalClient } from './support/terminalClient';

const PASSWORD = 'graceful-test-password';
const env = {
  LAB_INSTANCE: `t-gr${process.pid}`,
  DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'ipl-graceful-')),
  INSTRUCTOR_PASSWORD: PASSWORD,
  LAB_WARM_POOL: '0',
  HOST: '127.0.0.1',
};
const config = loadConfig({ ...process.env, ...env });
const runtime = new DockerRuntime({ socketPath: config.dockerSocket, ...config.lab });

/** This server's running lab containers (it has one learner, so these are theirs). */
async function runningContainers(): Promise<string[]> {
  const filters = JSON.stringify({ label: [`iptables-lab.instance=${env.LAB_INSTANCE}`], status: ['running'] });
  const containers = await runtime.docker.listContainers({ filters });
  return containers.map((c) => c.Id).sort();
}

/** Attaches to a terminal the way the page does and returns the client once the server said READY. */
async function attach(base: string, cookie: string, terminalUrl: string): Promise<TerminalClient> {
  const term = TerminalClient.connect(base.replace(/^http/, 'ws') + terminalUrl, { cookie, origin: base });
  await term.opened;
  term.hello(100, 30);
  await expect.poll(() => term.ready !== undefined, { timeout: 15_000 }).toBe(true);
  return term;
}

describe('a server stopped on purpose (SIGTERM) and started again', () => {
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await removeEveryLab(env);
  });

  it("leaves the learners' machines running and takes them back at the next start", async () => {
    server = await runServerUntilListening(env);
    const instructor = await instructorLogin(server.url, PASSWORD);
    const cls = await createClass(server.url, instructor, 'Graceful class');
    const learner = await join(server.url, cls.class.joinCode, 'Gus');
    const lab = await learnerCall<LabSessionJson>(server.url, learner, `/api/labs/${cls.class.labId}/sessions`, 'POST');
    const before = await runningContainers();
    expect(before).toHaveLength(3);
    const terminalUrl = lab.machines.find((m) => m.id === 'machine1')?.terminalUrl ?? '';
    const term = await attach(server.url, learner, terminalUrl);
    await term.waitFor(/\]# /, 15_000);
    term.input('echo "seen-before-$((6*7))"\r');
    await term.waitFor(/seen-before-42/, 15_000);
    term.ws.close();
    const { idleExpiresAt, expiresAt } = await learnerCall<{ idleExpiresAt: string; expiresAt: string }>(
      server.url,
      learner,
      `/api/sessions/${lab.id}`,
    );

    await server.stop('SIGTERM');
    expect(server.output()).toMatch(/labs keep running/);
    expect(await runningContainers()).toEqual(before);

    server = await runServerUntilListening(env);
    const after = await learnerCall<LabSessionJson & { idleExpiresAt: string; expiresAt: string }>(
      server.url,
      learner,
      `/api/sessions/${lab.id}`,
    );
    expect(after.status).toBe('ready');
    // A restart resets neither the idle clock nor the maximum age.
    expect({ idleExpiresAt: after.idleExpiresAt, expiresAt: after.expiresAt }).toEqual({ idleExpiresAt, expiresAt });
    expect(await runningContainers()).toEqual(before);
    // The screen comes back too: the scrollback was saved at the stop.
    const again = await attach(server.url, learner, terminalUrl);
    await again.waitFor(/seen-before-42/, 15_000);
    again.ws.close();
  });
});
