import { expect, it } from 'vitest';
import {
  HostAccessUnavailable,
  type HostNetnsCapability,
  type HostSetupCapability,
} from '../../server/runtime/LabRuntime';
import { bash, outcome, type ContractLabs } from './contractLabs';

/** Runtimes that run trusted host programs in a machine's namespaces. */
export function hostNetnsContract(labs: ContractLabs, host: HostNetnsCapability): void {
  const { t, topology } = labs;

  it("hostNetns: a host program sees the machine's own interfaces (or the runtime says it has no host access)", async () => {
    const spec = topology.machines[0];
    if (!spec) throw new Error('the contract needs a machine');
    const result = await host.netnsExec(labs.a, spec.id, ['ip', '-4', '-o', 'addr', 'show']).catch((error: unknown) => {
      if (error instanceof HostAccessUnavailable && !t.hostAccess) return undefined;
      throw error;
    });
    if (!result) return;
    for (const nic of spec.nics) expect(result.stdout).toContain(`${labs.addr(labs.a, spec.id, nic.network)}/`);
  });
}

/** Runtimes that keep host state for their labs, re-established at server start. */
export function hostSetupContract(labs: ContractLabs, setup: HostSetupCapability): void {
  const { t, runtime, from, to, shared } = labs;

  it('hostSetup: prepareHost is safe to run again while labs run', async () => {
    await setup.prepareHost();
    expect(await outcome(runtime, labs.a, from.id)).toBe(0);
    if (!t.realMachines) return;
    const inside = await runtime.exec(labs.a, from.id, bash(`ping -c 1 -W 2 ${labs.addr(labs.a, to.id, shared.id)}`), {
      timeoutMs: 10_000,
    });
    expect(inside.exitCode).toBe(0);
  });
}
