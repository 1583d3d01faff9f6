import { threeNetworkLab } from '../support/threeNetworkLab';
import { hostAddress, poolFor, slotAt } from '../../server/runtime/addressPool';
import { describeRuntimeContract } from '../contract/runtimeContract';
import { MemoryLabRuntime } from '../support/MemoryLabRuntime';

// The in-memory runtime the session tests stand on passes the core contract and sleep, like Docker;
// it offers no host programs in its (record) machines' namespaces.
describeRuntimeContract('memory', () => {
  const runtime = new MemoryLabRuntime(0, { sleep: true });
  const topology = threeNetworkLab.topology;
  const pool = poolFor(topology.networks, { firstSlot: 1, lastSlot: runtime.lastSlot, overrides: {} });
  let sessions = 0;
  return {
    runtime,
    // Its labs live in this object: a restarted server finds them in the same one.
    again: () => runtime,
    topology,
    expectedAddress: (deployment, machineId, networkId) => {
      const host = topology.machines.find((m) => m.id === machineId)?.nics.find((n) => n.network === networkId)?.host;
      return hostAddress(slotAt(pool, Number(deployment.slot)).subnets[networkId] ?? '', host ?? 0);
    },
    newSessionId: () => `memory-${++sessions}`,
    hostAccess: false,
    realMachines: false,
    putFile: (deployment, machineId, file) => {
      runtime.putFile(deployment, machineId, file);
      return Promise.resolve();
    },
    stopBehindBack: (deployment, machineId) => {
      runtime.stopBehindBack(deployment, machineId);
      return Promise.resolve();
    },
  };
});
