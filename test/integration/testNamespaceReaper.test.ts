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

const reap = () => reapDeadTestNamespaces({ diskDirs: [], log: () => undefined });

afterAll(async () => {
  for (const child of started) await kill(child);
  await reap();
}, 180_000);

describe('the reaper of killed test runs, before npm test', () => {
  it('removes the labs of a test process killed with SIGKILL, and nothing of a live one', async () => {
    const [dead, live, served] = await Promise.all([
      testProcessWithLab('treapdead'),
      testProcessWithLab('treaplive'),
      testProcessWithLab('treapsrv'),
    ]);
    // A server a test started still runs in this namespace after the test process itself died.
    const server = spawn('sleep', ['600'], { env: { LAB_INSTANCE: served.namespace }, stdio: 'ignore' });
    started.push(server);
    await kill(dead.child);
    await kill(served.child);
    const before = await leftOf(dead.namespace);
    expect(before).toMatchObject({ containers: 3, networks: 2, volumes: 3 });
    expect(before.mounts).toBeGreaterThan(0);

    const reaped = await reap();

    expect(reaped).toContain(dead.namespace);
    expect(await leftOf(dead.namespace)).toEqual({ containers: 0, networks: 0, volumes: 0, mounts: 0 });
    expect(reaped).not.toContain(live.namespace);
    expect(await leftOf(live.namespace)).toMatchObject({ containers: 3, networks: 2, volumes: 3 });
    expect(reaped).not.toContain(served.namespace);
    expect(await leftOf(served.namespace)).toMatchObject({ containers: 3, networks: 2, volumes: 3 });

    // Once nothing runs in them any more, they go too.
    await kill(live.child);
    await kill(server);
    expect(await reap()).toEqual(expect.arrayContaining([live.namespace, served.namespace]));
    for (const namespace of [live.namespace, served.namespace])
      expect(await leftOf(namespace)).toEqual({ containers: 0, networks: 0, volumes: 0, mounts: 0 });
  }, 300_000);
});
