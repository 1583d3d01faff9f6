import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import { newSessionId, sh, testRuntime } from '../support/labRuntime';

// A learner is root in their machines: whatever they write, anywhere, must stop at the cap with
// ENOSPC, and the machine, the lab and the host carry on.
const CAP_MB = 64;
const diskDir = mkdtempSync(path.join(os.tmpdir(), 'ipl-disks-'));
const { runtime, namespace } = testRuntime('disk', { LAB_DISK_MB: String(CAP_MB), LAB_DISK_DIR: diskDir });
let deployment: LabDeployment;
const MB = 1024 * 1024;

const ref = (machine: string): string => deployment.machines.find((m) => m.id === machine)?.ref ?? '';
/** Bytes the machine's writable layer really takes: Docker's own figure (what `docker system df` adds up). */
async function sizeRw(machine: string): Promise<number> {
  const [info] = await runtime.docker.listContainers({
    all: true,
    size: true,
    filters: JSON.stringify({ id: [ref(machine)] }),
  });
  return (info as { SizeRw?: number } | undefined)?.SizeRw ?? 0;
}
/** Host disk the machine's image takes, if the host has no storage quota and uses one. */
function allocatedOnHost(): number {
  return readdirSync(diskDir)
    .filter((f) => f.endsWith('.img'))
    .reduce((sum, f) => sum + statSync(path.join(diskDir, f)).blocks * 512, 0);
}
function mounted(): string {
  return execFileSync('cat', ['/proc/self/mountinfo'], { encoding: 'utf8' });
}
/** Mount points of the filesystem mounted at `point` (its own and every bind of it). */
function mountsOfDevice(point: string): string[] {
  const rows = mounted()
    .split('\n')
    .map((l) => l.split(' '));
  const device = rows.find((f) => f[4] === point)?.[2];
  return rows.filter((f) => device !== undefined && f[2] === device).map((f) => f[4] ?? '');
}

beforeAll(async () => {
  deployment = await runtime.create(newSessionId(), chapterTopology);
});
afterAll(async () => {
  if (deployment) await runtime.destroy(deployment.deploymentId).catch(() => undefined);
});

describe('the disk limit of each machine', () => {
  it('stops dd in / at the cap with ENOSPC, counts no more than the cap, and the shell carries on', async () => {
    const before = allocatedOnHost();
    const dd = await sh(
      runtime,
      deployment,
      'machine2',
      'dd if=/dev/zero of=/big bs=1M count=1024; echo "exit=$?"; ls -l /big',
      120_000,
    );
    expect(dd.stderr + dd.stdout).toMatch(/No space left on device/);
    expect(dd.stdout).not.toMatch(/exit=0/);
    expect(await sizeRw('machine2')).toBeLessThanOrEqual(CAP_MB * MB);
    expect(allocatedOnHost() - before).toBeLessThanOrEqual(CAP_MB * MB);
    const after = await sh(
      runtime,
      deployment,
      'machine2',
      'rm /big && echo still-here > /root/note && cat /root/note',
    );
    expect(after.stdout).toContain('still-here');
  });

  it('caps /tmp and the files Docker bind-mounts (/etc/hosts) the same way', async () => {
    const tmp = await sh(
      runtime,
      deployment,
      'machine1',
      'dd if=/dev/zero of=/tmp/big bs=1M count=1024; echo "exit=$?"; rm -f /tmp/big',
      120_000,
    );
    expect(tmp.stderr + tmp.stdout).toMatch(/No space left on device/);
    const hosts = await sh(
      runtime,
      deployment,
      'office-pc',
      'cp /etc/hosts /root/hosts; dd if=/dev/zero of=/etc/hosts bs=1M count=1024; echo "exit=$?"; cat /root/hosts > /etc/hosts',
      120_000,
    );
    expect(hosts.stderr + hosts.stdout).toMatch(/No space left on device/);
    const ping = await sh(runtime, deployment, 'office-pc', 'getent hosts machine1');
    expect(ping.stdout).toContain(deployment.machines[0]?.addresses.office);
  });

  it('keeps the files across a stop and start, and across a host reboot once the server has started', async () => {
    await sh(runtime, deployment, 'machine1', 'echo kept > /root/kept && echo kept > /etc/kept');
    const container = runtime.docker.getContainer(ref('machine1'));
    await container.stop({ t: 0 });
    await container.start();
    expect((await sh(runtime, deployment, 'machine1', 'cat /root/kept /etc/kept')).stdout).toBe('kept\nkept\n');

    // A reboot drops every mount; the next server start must restore them before the machine wakes.
    await container.stop({ t: 0 });
    const points = mountsOfDevice(path.join(diskDir, `ipl-${namespace}-${deployment.deploymentId}-machine1`));
    expect(points.length, 'the image and its layer bind').toBe(2);
    for (const point of points.sort((a, b) => b.length - a.length)) execFileSync('umount', [point]);
    await expect(container.start(), 'a machine must not start without its disk').rejects.toThrow();
    await runtime.prepareHost();
    await container.start();
    expect((await sh(runtime, deployment, 'machine1', 'cat /root/kept /etc/kept')).stdout).toBe('kept\nkept\n');
    const df = await sh(runtime, deployment, 'machine1', 'df -m / | tail -1');
    expect(Number(df.stdout.trim().split(/\s+/)[1])).toBeLessThanOrEqual(CAP_MB);
  });

  it('removes images, mounts and loop devices with the lab, and stray images as orphans', async () => {
    const images = readdirSync(diskDir)
      .filter((f) => f.endsWith('.img'))
      .map((f) => path.join(diskDir, f));
    expect(images).toHaveLength(3);
    await runtime.destroy(deployment.deploymentId);
    for (const image of images) {
      expect(existsSync(image)).toBe(false);
      expect(execFileSync('losetup', ['-j', image], { encoding: 'utf8' })).toBe('');
    }
    expect(mounted()).not.toContain(deployment.deploymentId);
    const stray = path.join(diskDir, `ipl-${namespace}-s0stray0-machine1.img`);
    writeFileSync(stray, '');
    expect(await runtime.list()).toContain('s0stray0');
    await runtime.removeOrphans(new Set());
    expect(existsSync(stray)).toBe(false);
  });
});
