import { afterAll, describe, expect, it } from 'vitest';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { readdir } from 'node:fs/promises';
import { namespaceFilter, resourceName } from '../../server/runtime/docker/labels';
import type { PhaseSpan } from '../../server/runtime/docker/phaseClock';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { newSessionId, sh } from '../support/labRuntime';
import { runtimeConfigFor } from '../support/runtimeConfig';
import { testNamespace } from '../support/testNamespace';

// A reset makes the fresh machines beside the old ones, which keep running (and keep their
// addresses) until the swap; the runtime reports each phase of it, which bench:lab prints.
const namespace = testNamespace('tswap');
const spans: PhaseSpan[] = [];
// No spare networks, as the other suites' runtimes: nothing of this suite outlives it.
const config = runtimeConfigFor(namespace, { LAB_SPARE_NETWORKS: '0' });
const runtime = new DockerRuntime({ ...config, phases: (span) => spans.push(span) });

/** Disk images of the lab's machines (on hosts where each machine has its own loop-mounted disk). */
const disksOf = async (id: string): Promise<string[]> =>
  (await readdir(config.diskDir).catch(() => [] as string[])).filter(
    (f) => f.startsWith(resourceName(namespace, id, '')) && f.endsWith('.img'),
  );

const containersOf = async (id: string): Promise<string[]> =>
  (await runtime.docker.listContainers({ all: true, filters: JSON.stringify(namespaceFilter(namespace, id)) })).map(
    (c) => c.Id,
  );

afterAll(async () => {
  for (const id of await runtime.list()) await runtime.destroy(id);
  await runtime.close();
});

describe('reset: make before break', () => {
  let lab: LabDeployment;

  it('a start reports its phases in order: slot, then each machine made, started, booted', async () => {
    const id = newSessionId();
    lab = await runtime.create(id, chapterTopology);
    const mine = spans.filter((s) => s.deploymentId === id);
    const phases = new Set(mine.map((s) => s.phase));
    for (const phase of ['slot', 'create', 'connect', 'start', 'boot'] as const) expect(phases).toContain(phase);
    const first = (phase: string): number => Math.min(...mine.filter((s) => s.phase === phase).map((s) => s.start));
    const last = (phase: string): number => Math.max(...mine.filter((s) => s.phase === phase).map((s) => s.end));
    expect(last('slot')).toBeLessThanOrEqual(first('create'));
    expect(first('create')).toBeLessThan(first('start'));
    expect(first('start')).toBeLessThan(last('boot'));
    for (const s of mine) expect(s.end).toBeGreaterThanOrEqual(s.start);
  });

  it('the old machines run until every fresh one is made; after the swap only the fresh ones exist, on the same addresses', async () => {
    await sh(runtime, lab, 'machine1', 'touch /root/old-file');
    const old = lab;
    spans.length = 0;
    const fresh = await runtime.reset(old, chapterTopology);

    expect(fresh.slot).toEqual(old.slot);
    for (const m of fresh.machines) expect(m.addresses).toEqual(old.machines.find((o) => o.id === m.id)?.addresses);
    const now = await containersOf(fresh.deploymentId);
    expect(now.sort()).toEqual(fresh.machines.map((m) => m.ref).sort());
    for (const m of old.machines) expect(now).not.toContain(m.ref);
    expect((await sh(runtime, fresh, 'machine1', 'ls /root/old-file; hostname')).stdout).toMatch(/^machine1$/m);
    expect((await sh(runtime, fresh, 'machine1', 'ls /root/old-file')).exitCode).not.toBe(0);

    // The old machines went only once every fresh one was made (created, wired, its disk ready), and before any started.
    const ofPhase = (phase: string): PhaseSpan[] => spans.filter((s) => s.phase === phase);
    const removed = ofPhase('remove')[0];
    expect(removed).toBeDefined();
    for (const s of [...ofPhase('create'), ...ofPhase('connect')])
      expect(s.end).toBeLessThanOrEqual(removed?.start ?? 0);
    for (const s of ofPhase('start')) expect(s.start).toBeGreaterThanOrEqual(removed?.end ?? Infinity);
    lab = fresh;
  });

  it('resets in a row: each one fresh machines with names of their own, a terminal with a prompt, the old machines gone', async () => {
    for (let round = 0; round < 2; round++) {
      const before = lab.machines.map((m) => m.ref);
      lab = await runtime.reset(lab, chapterTopology);
      const now = await containersOf(lab.deploymentId);
      expect(now).toHaveLength(chapterTopology.machines.length);
      for (const ref of before) expect(now).not.toContain(ref);
      // One disk per machine, or none where Docker caps the disks itself: the old ones are gone.
      expect([0, chapterTopology.machines.length]).toContain((await disksOf(lab.deploymentId)).length);
    }
    const terminal = await runtime.openTerminal(lab, 'machine1', { cols: 80, rows: 24 });
    const prompt = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`no prompt: ${JSON.stringify(seen)}`)), 60_000);
      terminal.onData((chunk) => {
        seen += chunk.toString('latin1');
        if (/\]# $/.test(seen)) {
          clearTimeout(timer);
          resolve(seen);
        }
      });
    });
    terminal.close();
    expect(prompt).toMatch(/\[root@machine1 [^\]]*\]# $/);
  });
});
