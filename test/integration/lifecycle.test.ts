import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import { newSessionId, testRuntime } from '../support/labRuntime';
import { runServerUntilListening } from '../support/serverProcess';

const { runtime, namespace } = testRuntime('life');

/** The lab's containers and shell volumes by their session label, and the networks its containers are on. */
async function resourcesOf(session: string): Promise<{ containers: number; networks: number; volumes: number }> {
  const filters = JSON.stringify({ label: [`iptables-lab.session=${session}`] });
  const [containers, volumes] = await Promise.all([
    runtime.docker.listContainers({ all: true, filters }),
    runtime.docker.listVolumes({ filters }),
  ]);
  const networks = new Set(containers.flatMap((c) => Object.keys(c.NetworkSettings.Networks)));
  return { containers: containers.length, networks: networks.size, volumes: (volumes.Volumes ?? []).length };
}

/** Every network of this file's namespace: the labs' own and any kept ready for the next lab. */
async function instanceNetworks(): Promise<string[]> {
  const networks = await runtime.docker.listNetworks({
    filters: JSON.stringify({ label: [`iptables-lab.instance=${namespace}`] }),
  });
  return networks.map((n) => n.Name);
}

// Whatever a failed test left of this file's namespace: its labs, and networks kept ready.
afterAll(async () => {
  await runtime.removeOrphans(new Set());
  await runtime.close();
}, 180_000);

describe('lab lifecycle', () => {
  it('labels every container and shell volume with the owning lab session, and its networks with its slot', async () => {
    const deployment = await runtime.create(newSessionId(), chapterTopology);
    try {
      expect(await resourcesOf(deployment.deploymentId)).toEqual({ containers: 3, networks: 2, volumes: 3 });
      const slotFilter = { label: [`iptables-lab.instance=${namespace}`, `iptables-lab.slot=${deployment.slot}`] };
      expect(await runtime.docker.listNetworks({ filters: JSON.stringify(slotFilter) })).toHaveLength(2);
      expect(await runtime.list()).toContain(deployment.deploymentId);
    } finally {
      await runtime.destroy(deployment.deploymentId);
    }
  });

  it('leaves no containers, networks or volumes behind after destroy', async () => {
    const deployment = await runtime.create(newSessionId(), chapterTopology);
    await runtime.destroy(deployment.deploymentId);
    expect(await resourcesOf(deployment.deploymentId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    // This runtime keeps no spare networks: the slot's networks went with the lab.
    expect(await instanceNetworks()).toEqual([]);
    expect(await runtime.list()).not.toContain(deployment.deploymentId);
  });

  it('runs every machine unprivileged, with dropped capabilities and resource limits', async () => {
    const deployment = await runtime.create(newSessionId(), chapterTopology);
    try {
      for (const machine of deployment.machines) {
        const info = await runtime.docker.getContainer(machine.ref).inspect();
        const host = info.HostConfig;
        expect(host.Privileged).toBe(false);
        expect(host.CapDrop).toEqual(['ALL']);
        expect(host.SecurityOpt).toContain('no-new-privileges');
        expect(host.Memory).toBeGreaterThan(0);
        expect(host.MemorySwap).toBe(host.Memory);
        expect(host.PidsLimit).toBeGreaterThan(0);
        expect(host.NanoCpus).toBeGreaterThan(0);
        expect((host.LogConfig?.Config as Record<string, string> | undefined)?.['max-size']).toBeDefined();
        expect((info.Mounts ?? []).some((m) => m.Source.includes('docker.sock'))).toBe(false);
        if (machine.id === 'machine1') expect(host.CapAdd).toContain('NET_ADMIN');
        else expect(host.CapAdd).toEqual(['NET_RAW']);
      }
    } finally {
      await runtime.destroy(deployment.deploymentId);
    }
  });

  it('removes labs orphaned by a killed server at the next start', async () => {
    // A separate process creates a lab and is killed with SIGKILL before it can clean up.
    const session = newSessionId();
    // Both processes share the data directory, as two runs of one installation do.
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ipl-life-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/createLabAndHang.ts', session], {
      env: { ...process.env, LAB_INSTANCE: namespace, DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('lab-created') && resolve());
      child.on('exit', (code) => reject(new Error(`lab creator exited early (${code})`)));
    });
    child.kill('SIGKILL');
    expect(await resourcesOf(session)).toEqual({ containers: 3, networks: 2, volumes: 3 });

    // No warm lab: one still being made when the server is told to stop is the warm pool's
    // business (test/server), and on a loaded host it may outlast the server's own cut-off.
    const server = await runServerUntilListening({ LAB_INSTANCE: namespace, DATA_DIR: dataDir, LAB_WARM_POOL: '0' });
    try {
      expect(server.output()).toContain(session);
      expect(await resourcesOf(session)).toEqual({ containers: 0, networks: 0, volumes: 0 });
      // Disk images (where Docker cannot cap a machine itself) go with their lab.
      expect(readdirSync(path.join(dataDir, 'disks')).filter((f) => f.includes(session))).toEqual([]);
    } finally {
      await server.stop();
    }
    // The slot's networks stayed ready for the server's next lab, and went when it stopped.
    expect(await instanceNetworks(), server.output()).toEqual([]);
    // Two processes started and a lab made on a loaded host: minutes.
  }, 300_000);
});
