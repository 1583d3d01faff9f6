import { loadConfig } from '../../server/config';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import { hostAddress, poolFor, subnetsForSlot } from '../../server/runtime/addressPool';
import { describeRuntimeContract } from '../contract/runtimeContract';
import { newSessionId, testRuntime } from '../support/labRuntime';

// The Docker runtime against the contract every runtime must pass (docs/scaling.md).
describeRuntimeContract('Docker', () => {
  // Slots no other suite uses (they keep to the default 1-200), so a server suite running side
  // by side never takes the slot a sleeping contract lab expects to find free.
  // One spare slot, as the server keeps by default: every claim and release goes through it.
  const slots = { LAB_POOL_FIRST: '201', LAB_POOL_LAST: '254', LAB_SPARE_NETWORKS: '1' };
  const pool = poolFor(chapterTopology.networks, loadConfig({ ...process.env, ...slots }).runtime.pool);
  return {
    runtime: testRuntime('contract', slots).runtime,
    // Same namespace (the name and this process), a new object: a restarted server.
    again: () => testRuntime('contract', slots).runtime,
    topology: chapterTopology,
    expectedAddress: (deployment, machineId, networkId) => {
      const host =
        chapterTopology.machines.find((m) => m.id === machineId)?.nics.find((n) => n.network === networkId)?.host ?? 0;
      return hostAddress(subnetsForSlot(pool, deployment.slot)[networkId] ?? '', host);
    },
    newSessionId,
    // The tests run as root on the Docker host.
    hostAccess: true,
  };
});
