import { afterAll, describe, expect, it } from 'vitest';
import { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { RestartableServer } from '../support/restartableServer';
import { runtimeConfigFor } from '../support/runtimeConfig';
import { createClass, instructorLogin, join, learnerCall, type LabSessionJson } from './support/classroomClient';
import { TerminalClient } from './support/terminalClient';

const PASSWORD = 'graceful-test-password';
const server = new RestartableServer('gr', { INSTRUCTOR_PASSWORD: PASSWORD });
const runtime = DockerRuntime.fromConfig(runtimeConfigFor(server.env.LAB_INSTANCE!, server.env));

/** This server's running lab containers (it has one learner, so these are theirs). */
async function runningContainers(): Promise<string[]> {
  const filters = JSON.stringify({ label: [`iptables-lab.instance=${server.env.LAB_INSTANCE}`], status: ['running'] });
  const containers = await runtime.docker.listContainers({ filters });
  return containers.map((c) => c.Id).sort();
}

/** Attaches to a terminal the way the page does and returns the client once the server said READY. */
async function attach(base: string, cookie: string, terminalUrl: string): Promise<TerminalClient> {
  const term = TerminalClient.connect(base.replace(/^http/, 'ws') + terminalUrl, { cookie, origin: base });
  await term.opened;
  term.hello(100, 30);
  await expect.poll(() => term.ready !== undefined, { timeout: 120_000 }).toBe(true);
  return term;
}

describe('a server stopped on purpose (SIGTERM) and started again', () => {
  afterAll(() => server.dispose());

  it("leaves the learners' machines running and takes them back at the next start", async () => {
    let base = await server.start();
    const instructor = await instructorLogin(base, PASSWORD);
    const cls = await createClass(base, instructor, 'Graceful class');
    const learner = await join(base, cls.class.joinCode, 'Gus');
    const lab = await learnerCall<LabSessionJson>(base, learner, `/api/labs/${cls.class.labId}/sessions`, 'POST');
    const before = await runningContainers();
    expect(before).toHaveLength(3);
    const terminalUrl = lab.machines.find((m) => m.id === 'machine1')?.terminalUrl ?? '';
    const term = await attach(base, learner, terminalUrl);
    await term.waitFor(/\]# /, 120_000);
    term.input('echo "seen-before-$((6*7))"\r');
    await term.waitFor(/seen-before-42/, 120_000);
    term.ws.close();
    const { idleExpiresAt, expiresAt } = await learnerCall<{ idleExpiresAt: string; expiresAt: string }>(
      base,
      learner,
      `/api/sessions/${lab.id}`,
    );

    await server.stop('SIGTERM');
    expect(server.output()).toMatch(/labs keep running/);
    expect(await runningContainers()).toEqual(before);

    base = await server.start();
    const after = await learnerCall<LabSessionJson & { idleExpiresAt: string; expiresAt: string }>(
      base,
      learner,
      `/api/sessions/${lab.id}`,
    );
    expect(after.status).toBe('ready');
    // A restart resets neither the idle clock nor the maximum age.
    expect({ idleExpiresAt: after.idleExpiresAt, expiresAt: after.expiresAt }).toEqual({ idleExpiresAt, expiresAt });
    expect(await runningContainers()).toEqual(before);
    // The screen comes back too: the scrollback was saved at the stop.
    const again = await attach(base, learner, terminalUrl);
    await again.waitFor(/seen-before-42/, 120_000);
    again.ws.close();
  });
});
