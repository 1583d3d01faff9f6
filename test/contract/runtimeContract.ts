import { afterAll, beforeAll, describe } from 'vitest';
import { ContractLabs, type RuntimeUnderTest } from './contractLabs';
import { lifecycleContract } from './lifecycleContract';
import { machineContract } from './machineContract';

export type { RuntimeUnderTest } from './contractLabs';

/** The contract every LabRuntime passes, run against `setup()`'s runtime: the steps run in order. */
export function describeRuntimeContract(name: string, setup: () => RuntimeUnderTest): void {
  describe(`LabRuntime contract: ${name}`, () => {
    const labs = new ContractLabs(setup());
    const { runtime, topology, t } = labs;

    beforeAll(async () => {
      [labs.a, labs.b] = await Promise.all([
        runtime.create(t.newSessionId(), topology),
        runtime.create(t.newSessionId(), topology),
      ]);
    });
    afterAll(async () => {
      await Promise.all([labs.a, labs.b].filter(Boolean).map((deployment) => runtime.destroy(deployment.deploymentId)));
      await runtime.close();
    });

    machineContract(labs);
    lifecycleContract(labs);
  });
}
