import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import type { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import { newSessionId, sh, testRuntime } from '../support/labRuntime';

// Machine disks are formatted ahead of need (LAB_SPARE_DISKS), so a start takes a ready one. A
// spare must never carry anybody's files, the pool must stay within its bound, and a server
// removes its namespace's spares when it stops and, after a crash, when it starts again.
const SPARES = 3;
const diskDir = mkdtempSync(path.join(os.tmpdir(), 'ipl-spares-'));
const env = { LAB_DISK_MB: '64', LAB_DISK_DIR: diskDir, LAB_SPARE_DISKS: String(SPARES) };
const { runtime, namespace } = testRuntime('spares', env);
const spareFolder = path.join(diskDir, 'spares');
const labs: string[] = [];

/** This namespace's spare images on the host, formatted or being formatted. */
const spareFiles = (): string[] =>
  existsSync(spareFolder)
    ? readdirSync(spareFolder)
        .filter((f) => f.startsWith(`${namespace}.`))
        .map((f) => path.join(spareFolder, f))
    : [];
const inode = (file: string): number => statSync(file).ino;
/** How many times `text` is in the file's bytes, as the host reads them. */
const occurrences = (file: string, text: string): number =>
  Number(execFileSync('sh', ['-c', 'grep -c -a -- "$0" "$1" || true', text, file], { encoding: 'utf8' }).trim());
/** The machine's disk image: named after its container. */
const imageOf = (deployment: LabDeployment, machineId: string): string =>
  path.join(diskDir, `ipl-${namespace}-${deployment.deploymentId}-${machineId}.img`);

async function waitFor(what: string, done: () => boolean, timeoutMs = 120_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !done(); await new Promise((r) => setTimeout(r, 100)))
    if (Date.now() > end) throw new Error(`waited ${timeoutMs} ms for ${what}`);
}
const poolFull = (on: DockerRuntime = runtime): Promise<void> =>
  waitFor(`${SPARES} spare disks`, () => on.spareDisksReady === SPARES);

async function createLab(): Promise<LabDeployment> {
  const deployment = await runtime.create(newSessionId(), chapterTopology);
  labs.push(deployment.deploymentId);
  return deployment;
}

afterAll(async () => {
  await Promise.all(labs.map((id) => runtime.destroy(id).catch(() => undefined)));
  await runtime.close();
  rmSync(diskDir, { recursive: true, force: true });
});

describe('spare machine disks', () => {
  it('are formatted after the first lab, and a later machine takes one that holds nothing of an ended lab', async () => {
    const first = await createLab();
    // Whatever a learner leaves behind: a marker that must appear in no other machine's disk.
    const marker = `learner-secret-${Date.now()}`;
    await sh(runtime, first, 'machine1', `echo ${marker} > /root/secret && sync`);
    expect(occurrences(imageOf(first, 'machine1'), marker), 'the host can see a learner file in an image').toBe(1);
    await runtime.destroy(first.deploymentId);
    await poolFull();

    const spares = spareFiles();
    expect(spares).toHaveLength(SPARES);
    for (const file of spares)
      expect(execFileSync('dumpe2fs', ['-h', file], { stdio: 'pipe' }).toString()).toMatch(/clean/);
    const spareInodes = new Set(spares.map(inode));

    const second = await createLab();
    for (const m of second.machines) {
      const image = imageOf(second, m.id);
      expect(spareInodes.has(inode(image)), `${m.id}'s disk is a spare`).toBe(true);
      expect(occurrences(image, marker)).toBe(0);
      expect(readdirSync(path.join(diskDir, path.basename(image, '.img'))).sort()).toEqual([
        'etc',
        'layer',
        'lost+found',
      ]);
    }
    expect((await sh(runtime, second, 'machine1', 'ls /root; df -m / | tail -1')).stdout).not.toContain('secret');
  }, 300_000);

  it('never keeps more than LAB_SPARE_DISKS, while labs take them and they are made again', async () => {
    await poolFull();
    let most = 0;
    const sampler = setInterval(() => (most = Math.max(most, spareFiles().length)), 10);
    try {
      // Six machines at once take three ready spares and format the rest themselves.
      await Promise.all([createLab(), createLab()]);
      await poolFull();
    } finally {
      clearInterval(sampler);
    }
    expect(most).toBeLessThanOrEqual(SPARES);
    expect(spareFiles()).toHaveLength(SPARES);
  }, 300_000);

  it("go with the runtime's close; a start removes what a crashed run left of its namespace, and nobody else's", async () => {
    await poolFull();
    const other = path.join(spareFolder, 'another-server.0123.img');
    writeFileSync(other, '');
    const leftBehind = spareFiles();

    // A second runtime of the namespace, as a server starting after a crash (kill -9) sees it.
    const restarted = testRuntime('spares', env).runtime;
    await restarted.prepareHost();
    for (const file of leftBehind) expect(existsSync(file), file).toBe(false);
    expect(existsSync(other)).toBe(true);

    await runtime.close();
    expect(spareFiles()).toEqual([]);
    expect(existsSync(other)).toBe(true);
  }, 300_000);
});
