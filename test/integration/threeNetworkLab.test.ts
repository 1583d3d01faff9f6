import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkContext } from '../../server/grading/contexts';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { address, newSessionId, sh, testRuntime } from '../support/labRuntime';
import { threeNetworkLab } from '../support/threeNetworkLab';

// A lab the server has never heard of (three networks, another layout) on the real Docker
// runtime: nothing under server/ names a network, machine or image.
const { runtime } = testRuntime('threenet', { LAB_WAN_POOL: '10.234.{n}.0/24' });
let deployment: LabDeployment;

beforeAll(async () => {
  deployment = await runtime.create(newSessionId(), threeNetworkLab.topology);
});
afterAll(async () => {
  if (deployment) await runtime.destroy(deployment.deploymentId);
});

describe('a test lab with three networks on the Docker runtime', () => {
  it("builds every network from the lab's own templates, and LAB_<NETWORK>_POOL moves one", () => {
    expect(deployment.networks.map((n) => n.subnet)).toEqual([
      `10.231.${deployment.slot}.0/24`,
      `10.232.${deployment.slot}.0/24`,
      `10.234.${deployment.slot}.0/24`,
    ]);
    expect(address(deployment, 'router', 'wan')).toBe(`10.234.${deployment.slot}.1`);
    expect(address(deployment, 'web', 'dmz')).toBe(`10.231.${deployment.slot}.80`);
  });

  it('gives the router one interface per network, named in declared order, with the declared addresses', async () => {
    const r = await sh(runtime, deployment, 'router', 'ip -o -4 addr show | awk \'$2 != "lo" {print $2, $4}\'');
    expect(r.stdout.trim().split('\n').sort()).toEqual([
      `eth0 ${address(deployment, 'router', 'dmz')}/24`,
      `eth1 ${address(deployment, 'router', 'lan')}/24`,
      `eth2 ${address(deployment, 'router', 'wan')}/24`,
    ]);
  });

  it('connects machines that share a network and separates those that do not', async () => {
    const sameNet = await sh(runtime, deployment, 'router', `ping -n -c 1 -W 2 ${address(deployment, 'web', 'dmz')}`);
    expect(sameNet.exitCode).toBe(0);
    const otherNet = await sh(runtime, deployment, 'pc', `ping -n -c 1 -W 1 ${address(deployment, 'web', 'dmz')}`);
    expect(otherNet.exitCode).not.toBe(0);
  });

  it("runs the lab's checker through the same check context as the chapter's", async () => {
    const terminals = { transcript: () => '', type: () => Promise.resolve() };
    const result = await threeNetworkLab.steps[0]?.check(checkContext(runtime, deployment, { terminals }));
    expect(result).toEqual({ passed: true, message: 'It is the router.' });
  });
});
