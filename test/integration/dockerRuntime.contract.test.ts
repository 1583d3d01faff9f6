import { loadConfig } from '../../server/config';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import { hostAddress, poolFor, subnetsForSlot } from '../../server/runtime/addressPool';
import { describeRuntimeContract } from '../contract/runtimeContract';
import { newSessionId, testRuntime } from '../support/labRuntime';

// The Docker runtime against the contract every runtime must pass (docs/scaling.md).
describeRuntimeContract('Docker', () => {
  const pool = poolFor(chapterTopology.networks, loadConfig(process.env).lab.pool);
  return {
    runtime: testRuntime('contract').runtime,
    // Same namespace (the name and this process), a new object: a restarted server.
    again: () => testRuntime('contract').runtime,
    topology: chapterTopology,
    expectedAddress: (lab, machineId, networkId) => {
      const host =
        chapterTopology.machines.find((m) => m.id === machineId)?.nics.find((n) => n.network === networkId)?.host ?? 0;
      return hostAddress(subnetsForSlot(pool, lab.slot)[networkId] ?? '', host);
    },
    newSessionId,
    // The tests run as root on the Docker host.
    hostAccess: true,
  };
});
