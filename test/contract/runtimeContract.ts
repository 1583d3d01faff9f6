import { afterAll, beforeAll, describe } from 'vitest';
import { ContractLabs, type RuntimeUnderTest } from './contractLabs';
import { coreContract, coreEndContract } from './coreContract';
import { hostNetnsContract, hostSetupContract } from './hostContract';
import { machineContract } from './machineContract';
import { sleepContract } from './sleepContract';

export type { RuntimeUnderTest } from './contractLabs';

/**
 * The contract for `setup()`'s runtime, its steps in order: the core every runtime passes, what
 * real machines show from inside (when its machines are real), then each capability it offers.
 */
export function describeRuntimeContract(name: string, setup: () => RuntimeUnderTest): void {
  describe(`LabRuntime contract: ${name}`, () => {
    const labs = new ContractLabs(setup());
    const { runtime, topology, t } = labs;
    const { sleep, hostNetns, hostSetup } = runtime.capabilities;
    let stopWatching: (() => void) | undefined;

    beforeAll(async () => {
      stopWatching = runtime.watch((event) => labs.events.push(event));
      [labs.a, labs.b] = await Promise.all([
        runtime.create(t.newSessionId(), topology),
        runtime.create(t.newSessionId(), topology),
      ]);
    });
    afterAll(async () => {
      stopWatching?.();
      await Promise.all([labs.a, labs.b].filter(Boolean).map((deployment) => runtime.destroy(deployment.deploymentId)));
      await runtime.close();
    });

    describe('core', () => coreContract(labs));
    if (t.realMachines) describe('real machines', () => machineContract(labs));
    if (hostNetns) describe('capability: hostNetns', () => hostNetnsContract(labs, hostNetns));
    if (hostSetup) describe('capability: hostSetup', () => hostSetupContract(labs, hostSetup));
    if (sleep) describe('capability: sleep', () => sleepContract(labs, sleep));
    describe('core, after the capabilities', () => coreEndContract(labs));
  });
}
