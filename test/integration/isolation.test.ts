import http from 'node:http';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { address, newSessionId, sh, testRuntime } from '../support/labRuntime';

const { runtime } = testRuntime('iso');
let labA: LabDeployment;
let labB: LabDeployment;
let hostServer: http.Server;
let hostPort: number;

/** The host's own IPv4 addresses (Docker bridge, uplink): the ones a lab must never reach. */
function hostAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((i): i is os.NetworkInterfaceInfo => Boolean(i) && i!.family === 'IPv4' && !i!.internal)
    .map((i) => i.address);
}

beforeAll(async () => {
  [labA, labB] = await Promise.all([
    runtime.create(newSessionId(), chapterTopology),
    runtime.create(newSessionId(), chapterTopology),
  ]);
  // Something real listening on every host address, standing in for the product's server.
  hostServer = http.createServer((_req, res) => res.end('host'));
  await new Promise<void>((resolve) => hostServer.listen(0, '0.0.0.0', resolve));
  hostPort = (hostServer.address() as { port: number }).port;
});
afterAll(async () => {
  hostServer?.close();
  await Promise.all([labA, labB].filter(Boolean).map((deployment) => runtime.destroy(deployment.deploymentId)));
});

describe('isolation between labs and from the host', () => {
  it('gives the second concurrent lab its own addresses', () => {
    expect(labA.slot).not.toBe(labB.slot);
    expect(address(labB, 'machine1', 'lan')).not.toBe(address(labA, 'machine1', 'lan'));
    expect(address(labB, 'machine1', 'lan')).toBe(`10.1.${labB.slot}.1`);
    expect(address(labB, 'office-pc', 'office')).toBe(`172.16.${labB.slot}.10`);
  });

  it("keeps lab A's Machine 2 away from lab B's Machine 1", async () => {
    const target = address(labB, 'machine1', 'lan');
    const ping = await sh(runtime, labA, 'machine2', `ping -c 1 -W 1 ${target}`);
    expect(ping.exitCode).not.toBe(0);
    const curl = await sh(runtime, labA, 'machine2', `curl -s -m 2 http://${target}/`);
    expect(curl.exitCode).not.toBe(0);
    // Sanity: the same target answers inside its own lab.
    const own = await sh(runtime, labB, 'machine2', `curl -s -m 2 http://${target}/`);
    expect(own.stdout).toMatch(/Machine 1/);
  });

  it("cannot reach the host's addresses or the server's port from a lab machine", async () => {
    const targets = hostAddresses();
    expect(targets.length).toBeGreaterThan(0);
    for (const ip of targets) {
      const curl = await sh(runtime, labA, 'machine2', `curl -s -m 2 http://${ip}:${hostPort}/`);
      expect(curl.stdout, `reached the host at ${ip}`).not.toContain('host');
      expect(curl.exitCode).not.toBe(0);
      const ping = await sh(runtime, labA, 'machine2', `ping -c 1 -W 1 ${ip}`);
      expect(ping.exitCode, `pinged the host at ${ip}`).not.toBe(0);
    }
  });

  it('resolves the lab machines by name, each from its own side', async () => {
    const fromOffice = await sh(runtime, labA, 'office-pc', 'getent hosts machine1');
    expect(fromOffice.stdout).toContain(address(labA, 'machine1', 'office'));
    const fromLan = await sh(runtime, labA, 'machine2', 'getent hosts machine1 office-pc');
    expect(fromLan.stdout).toContain(address(labA, 'machine1', 'lan'));
  });
});
