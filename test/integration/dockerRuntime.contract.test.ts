import { loadConfig } from '../../server/config';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import { hostAddress, poolFor, slotAt } from '../../server/runtime/addressPool';
import { slotNumber } from '../../server/runtime/docker/slotPlacement';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { describeRuntimeContract } from '../contract/runtimeContract';
import { newSessionId, testRuntime } from '../support/labRuntime';

// The Docker runtime against the contract every runtime must pass (docs/scaling.md).
describeRuntimeContract('Docker', () => {
  // Slots no other suite uses (they keep to the default 1-200), so a server suite running side
  // by side never takes the slot a sleeping contract lab expects to find free.
  // One spare slot, as the server keeps by default: every claim and release goes through it.
  const slots = { LAB_POOL_FIRST: '201', LAB_POOL_LAST: '254', LAB_SPARE_NETWORKS: '1' };
  const pool = poolFor(chapterTopology.networks, loadConfig({ ...process.env, ...slots }).runtime.pool);
  const { runtime } = testRuntime('contract', slots);
  const ref = (deployment: LabDeployment, machineId: string): string =>
    deployment.machines.find((m) => m.id === machineId)?.ref ?? '';
  return {
    runtime,
    // Same namespace (the name and this process), a new object: a restarted server.
    again: () => testRuntime('contract', slots).runtime,
    topology: chapterTopology,
    expectedAddress: (deployment, machineId, networkId) => {
      const host =
        chapterTopology.machines.find((m) => m.id === machineId)?.nics.find((n) => n.network === networkId)?.host ?? 0;
      return hostAddress(slotAt(pool, slotNumber(deployment.slot)).subnets[networkId] ?? '', host);
    },
    newSessionId,
    // The tests run as root on the Docker host.
    hostAccess: true,
    realMachines: true,
    putFile: async (deployment, machineId, { path, text, mode }) => {
      const mode8 = mode.toString(8);
      const result = await runtime.exec(
        deployment,
        machineId,
        ['sh', '-c', `cat > "$0" && chmod ${mode8} "$0"`, path],
        {
          stdin: text,
        },
      );
      if (result.exitCode !== 0) throw new Error(`could not write ${path}: ${result.stderr}`);
    },
    stopBehindBack: async (deployment, machineId) => {
      await runtime.docker.getContainer(ref(deployment, machineId)).kill();
    },
  };
});
