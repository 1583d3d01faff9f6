import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { reapDeadTestNamespaces } from '../../scripts/lib/testNamespaceReaper';
import { LABEL } from '../../server/runtime/docker/labels';
import { newSessionId } from '../support/labRuntime';

const docker = new Docker();

function withoutNamespace(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { LAB_INSTANCE: _, ...rest } = env;
  return rest;
}
const started: ChildProcess[] = [];

/** A test process that creates a lab in a namespace of its own (tag--its pid) and waits to be killed. */
async function testProcessWithLab(tag: string): Promise<{ child: ChildProcess; namespace: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/createLabAndHang.ts', newSessionId()], {
    // No spare networks: the lab's own two, whenever the counts are taken.
    env: { ...withoutNamespace(process.env), TEST_NAMESPACE_TAG: tag, LAB_SPARE_NETWORKS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(child);
  const namespace = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const created = /lab-created (\S+)/.exec(output);
      if (created?.[1]) resolve(created[1]);
    });
    child.on('exit', (code) => reject(new Error(`lab creator exited early (${code})`)));
  });
  return { child, namespace };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });
}

/** What the host holds of a namespace: Docker objects by label, and loop-mounted disks by name. */
async function leftOf(
  namespace: string,
): Promise<{ containers: number; networks: number; volumes: number; mounts: number }> {
  const filters = JSON.stringify({ label: [`${LABEL.namespace}=${namespace}`] });
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((line) => line.includes(`/ipl-${namespace}-`)).length;
  return { containers: containers.length, networks: networks.length, volumes: (volumes.Volumes ?? []).length, mounts };
}

/** Whether the process runs (a zombie waiting for this process to collect it has ended). */
function runs(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function exited(child: ChildProcess): Promise<void> {
  return runs(child) ? new Promise((resolve) => child.once('exit', () => resolve())) : Promise.resolve();
}

// Only this file's namespaces: other suites' (and other runs') are none of its business.
const reap = () =>
  reapDeadTestNamespaces({
    diskDirs: [],
    log: () => undefined,
    only: (namespace) => namespace.startsWith('treap'),
    // The stand-in that ignores SIGTERM is killed after this.
    stopGraceMs: 5000,
  });

afterAll(async () => {
  for (const child of started) await kill(child);
  await reap();
}, 180_000);

describe('the reaper of killed test runs, before npm test', () => {
  it('removes the labs of a test process killed with SIGKILL, and nothing of a live one', async () => {
    const [dead, live] = await Promise.all([testProcessWithLab('treapdead'), testProcessWithLab('treaplive')]);
    await kill(dead.child);
    const before = await leftOf(dead.namespace);
    expect(before).toMatchObject({ containers: 3, networks: 2, volumes: 3 });
    expect(before.mounts).toBeGreaterThan(0);

    const reaped = await reap();

    expect(reaped).toContain(dead.namespace);
    expect(await leftOf(dead.namespace)).toEqual({ containers: 0, networks: 0, volumes: 0, mounts: 0 });
    expect(reaped).not.toContain(live.namespace);
    expect(await leftOf(live.namespace)).toMatchObject({ containers: 3, networks: 2, volumes: 3 });

    // Once its test process is gone, it goes too.
    await kill(live.child);
    expect(await reap()).toContain(live.namespace);
    expect(await leftOf(live.namespace)).toEqual({ containers: 0, networks: 0, volumes: 0, mounts: 0 });
  }, 300_000);

  it('stops the servers a killed test run left running (SIGTERM, then SIGKILL), then removes their labs', async () => {
    const [served, stubborn, live] = await Promise.all([
      testProcessWithLab('treapsrv'),
      testProcessWithLab('treapstub'),
      testProcessWithLab('treapalive'),
    ]);
    // Stand-ins for servers the test processes started (as Playwright starts the e2e server):
    // one ends on SIGTERM, one ignores it (and its child inherits that), one's test process lives.
    const server = spawn('sleep', ['600'], { env: { LAB_INSTANCE: served.namespace }, stdio: 'ignore' });
    const stuck = spawn('bash', ['-c', 'trap "" TERM; sleep 600; true'], {
      env: { PATH: process.env.PATH, LAB_INSTANCE: stubborn.namespace },
      stdio: 'ignore',
    });
    const running = spawn('sleep', ['600'], { env: { LAB_INSTANCE: live.namespace }, stdio: 'ignore' });
    started.push(server, stuck, running);
    await Promise.all([kill(served.child), kill(stubborn.child)]);

    const reaped = await reap();

    await Promise.all([exited(server), exited(stuck)]);
    expect(server.signalCode).toBe('SIGTERM');
    expect(stuck.signalCode).toBe('SIGKILL');
    expect(reaped).toEqual(expect.arrayContaining([served.namespace, stubborn.namespace]));
    for (const namespace of [served.namespace, stubborn.namespace])
      expect(await leftOf(namespace)).toEqual({ containers: 0, networks: 0, volumes: 0, mounts: 0 });
    expect(runs(running)).toBe(true);
    expect(reaped).not.toContain(live.namespace);
    expect(await leftOf(live.namespace)).toMatchObject({ containers: 3, networks: 2, volumes: 3 });
  }, 300_000);
});
