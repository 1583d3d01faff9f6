import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import { FIREWALL_TABLE } from '../../server/runtime/docker/hostFirewall';
import { newSessionId, sh, testRuntime } from '../support/labRuntime';

// The server keeps a free slot's networks ready (LAB_SPARE_NETWORKS, default 1), so a new lab,
// a reset or a wake attaches its machines without waiting for Docker to create bridges.
const { runtime, namespace } = testRuntime('spare', { LAB_SPARE_NETWORKS: '1' });

async function instanceNetworks(): Promise<{ id: string; name: string; bridge: string; slot: string }[]> {
  const networks = await runtime.docker.listNetworks({
    filters: JSON.stringify({ label: [`iptables-lab.instance=${namespace}`] }),
  });
  return networks
    .map((n) => ({
      id: n.Id,
      name: n.Name,
      bridge: n.Options?.['com.docker.network.bridge.name'] ?? '',
      slot: n.Labels?.['iptables-lab.slot'] ?? '',
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The slots of the namespace's networks once two reads a second apart agree (no set half made). */
async function settledFreeSlots(): Promise<Set<string>> {
  const deadline = Date.now() + 120_000;
  let last = '';
  for (;;) {
    const networks = await instanceNetworks();
    const now = networks.map((n) => n.name).join(' ');
    if (now === last && networks.length > 0 && networks.length % 2 === 0) return new Set(networks.map((n) => n.slot));
    if (Date.now() > deadline) throw new Error(`the spare networks never settled: ${now}`);
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

const guardedBridges = (): string =>
  execFileSync('nft', ['list', 'set', 'inet', FIREWALL_TABLE, 'lab_bridges'], { encoding: 'utf8' });

afterAll(async () => {
  for (const id of await runtime.list()) await runtime.destroy(id);
  await runtime.close();
});

// Each test makes and ends labs one after the other: minutes on a loaded host.
describe('spare slot networks', { timeout: 300_000 }, () => {
  it('an ended lab leaves its slot networks ready, still guarded by the host firewall, and the next lab takes them', async () => {
    const first = await runtime.create(newSessionId(), chapterTopology);
    expect(await instanceNetworks()).toHaveLength(2);
    await runtime.destroy(first.deploymentId);

    // One free slot's networks, whether the ended lab's or a refill made a moment after it started.
    const kept = await instanceNetworks();
    expect(kept).toHaveLength(2);
    expect(new Set(kept.map((n) => n.slot)).size).toBe(1);
    for (const n of kept) expect(guardedBridges()).toContain(`"${n.bridge}"`);

    const next = await runtime.create(newSessionId(), chapterTopology);
    expect(String(next.slot)).toBe(kept[0]?.slot);
    // The very same networks: taken, not made again.
    expect((await instanceNetworks()).filter((n) => n.slot === String(next.slot))).toEqual(kept);
    const ping = await sh(runtime, next, 'machine2', `ping -c 1 -W 2 ${next.machines[0]?.addresses.lan ?? ''}`);
    expect(ping.exitCode).toBe(0);
    await runtime.destroy(next.deploymentId);
  });

  it('a restarted server sees which slot is free from the engine, not from memory', async () => {
    const deployment = await runtime.create(newSessionId(), chapterTopology);
    const fresh = testRuntime('spare', { LAB_SPARE_NETWORKS: '1' }).runtime;
    // The first lab's slot is in use; the spare left by the previous test is on no other slot.
    const other = await fresh.create(newSessionId(), chapterTopology);
    expect(other.slot).not.toBe(deployment.slot);
    await Promise.all([runtime.destroy(deployment.deploymentId), fresh.destroy(other.deploymentId)]);
    await fresh.close();
  });

  it('keeps no more free slots than asked, and close removes them while labs stay', async () => {
    const ended = await runtime.create(newSessionId(), chapterTopology);
    await runtime.destroy(ended.deploymentId);
    // The free slot is the ended lab's, or the refill's when it came first (a few seconds after the
    // start, so on a loaded host before the end): whichever the engine holds once it has settled.
    const free = await settledFreeSlots();
    // Three labs at once: one gets the free slot, and no two share one.
    const deployments = await Promise.all([1, 2, 3].map(() => runtime.create(newSessionId(), chapterTopology)));
    expect(new Set(deployments.map((l) => l.slot)).size).toBe(3);
    expect(
      deployments.some((l) => free.has(String(l.slot))),
      `one of ${[...free].join(', ')} taken`,
    ).toBe(true);
    await Promise.all(deployments.slice(1).map((l) => runtime.destroy(l.deploymentId)));
    const slots = new Set((await instanceNetworks()).map((n) => n.slot));
    // The running lab's slot, and one free one.
    expect(slots.size).toBe(2);
    expect(slots).toContain(String(deployments[0]?.slot));

    await runtime.close();
    expect(new Set((await instanceNetworks()).map((n) => n.slot))).toEqual(new Set([String(deployments[0]?.slot)]));
    expect((await sh(runtime, deployments[0]!, 'machine2', 'echo up')).stdout).toBe('up\n');
    await runtime.destroy(deployments[0]!.deploymentId);
    // A spare again, now that the lab ended.
    expect(await instanceNetworks()).toHaveLength(2);
  });
});
