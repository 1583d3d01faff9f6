import { expect, it } from 'vitest';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { eventually, outcome, until, type ContractLabs } from './contractLabs';

const allAddresses = (deployment: LabDeployment): string[] =>
  deployment.machines.flatMap((m) => Object.values(m.addresses));

/** The first half of the core every runtime gives: create, exec, files, terminals, watch, restart. */
export function coreContract(labs: ContractLabs): void {
  const { t, runtime, topology, from, to } = labs;

  it('create: one machine per topology entry, each with a handle, on every network it names, at the planned addresses', () => {
    for (const deployment of [labs.a, labs.b]) {
      expect(deployment.machines.map((m) => m.id)).toEqual(topology.machines.map((m) => m.id));
      expect(deployment.networks.map((n) => n.id)).toEqual(topology.networks.map((n) => n.id));
      for (const spec of topology.machines) {
        const machine = deployment.machines.find((m) => m.id === spec.id);
        expect(machine?.ref).toBeTruthy();
        expect(Object.keys(machine?.addresses ?? {}).sort()).toEqual(spec.nics.map((n) => n.network).sort());
        for (const nic of spec.nics)
          expect(machine?.addresses[nic.network]).toBe(t.expectedAddress(deployment, spec.id, nic.network));
      }
    }
  });

  it('placement: two labs at once are placed apart and share no address', () => {
    expect(labs.a.slot).not.toEqual(labs.b.slot);
    const taken = new Set(allAddresses(labs.a));
    expect(allAddresses(labs.b).filter((address) => taken.has(address))).toEqual([]);
  });

  it('exec: every machine runs a command; an unknown machine is refused', async () => {
    for (const spec of topology.machines) expect(await outcome(runtime, labs.a, spec.id)).toBe(0);
    await expect(runtime.exec(labs.a, 'no-such-machine', ['true'])).rejects.toThrow();
  });

  it("readFile: a machine's file with its mode, without running anything inside; undefined when missing", async () => {
    await t.putFile(labs.a, from.id, { path: '/root/contract.txt', text: 'rules\n', mode: 0o640 });
    const file = await runtime.readFile(labs.a, from.id, '/root/contract.txt');
    expect(file?.data.toString()).toBe('rules\n');
    expect(file?.mode).toBe(0o640);
    expect(await runtime.readFile(labs.a, from.id, '/root/no-such-file')).toBeUndefined();
  });

  it('terminal: opens on a machine, shows what is typed, resizes and closes', async () => {
    const term = await runtime.openTerminal(labs.a, from.id, { cols: 100, rows: 30 });
    try {
      term.write('echo contract-typed\r');
      await until(term, /contract-typed/);
      await term.resize({ cols: 120, rows: 40 });
    } finally {
      term.close();
    }
  });

  it("watch: a machine stopped behind the runtime's back is reported; revive starts it again", async () => {
    await t.stopBehindBack(labs.b, to.id);
    await eventually(
      () =>
        labs.events.some(
          (e) => e.type === 'machine-stopped' && e.deploymentId === labs.b.deploymentId && e.machineId === to.id,
        ),
      `machine-stopped for ${labs.b.deploymentId}/${to.id} in ${JSON.stringify(labs.events)}`,
    );
    expect(await outcome(runtime, labs.b, to.id)).not.toBe(0);
    await runtime.revive(labs.b);
    expect(await outcome(runtime, labs.b, to.id)).toBe(0);
    expect(await outcome(runtime, labs.b, from.id)).toBe(0);
  });

  it('restart: the machine runs again, at the same addresses', async () => {
    const before = labs.a.machines.find((m) => m.id === to.id);
    await runtime.restart(labs.a, to.id);
    expect(await outcome(runtime, labs.a, to.id)).toBe(0);
    expect(labs.a.machines.find((m) => m.id === to.id)).toEqual(before);
  });
}

/** The second half of the core, after the capabilities had the labs: reset, adoption, destroy, placement reuse. */
export function coreEndContract(labs: ContractLabs): void {
  const { t, runtime, topology, from, to } = labs;

  it('reset: fresh machines on the same placement and addresses, the old files gone', async () => {
    await t.putFile(labs.b, to.id, { path: '/root/reset-note', text: 'old\n', mode: 0o644 });
    const fresh = await runtime.reset(labs.b, topology);
    expect(fresh.deploymentId).toBe(labs.b.deploymentId);
    expect(fresh.slot).toEqual(labs.b.slot);
    expect(fresh.machines.map((m) => m.addresses)).toEqual(labs.b.machines.map((m) => m.addresses));
    expect(fresh.machines.map((m) => m.ref)).not.toEqual(labs.b.machines.map((m) => m.ref));
    expect(await runtime.readFile(fresh, to.id, '/root/reset-note')).toBeUndefined();
    for (const spec of topology.machines) expect(await outcome(runtime, fresh, spec.id)).toBe(0);
    labs.b = fresh;
  });

  it('list and adopt: a new runtime object takes a stored lab back and removes only the orphans', async () => {
    const fresh = t.again();
    expect(await fresh.list()).toEqual(expect.arrayContaining([labs.a.deploymentId, labs.b.deploymentId]));
    const stored = JSON.parse(JSON.stringify(labs.a)) as LabDeployment;
    expect(await outcome(fresh, stored, from.id)).toBe(0);
    const term = await fresh.openTerminal(stored, from.id, { cols: 80, rows: 24 });
    try {
      term.write('echo adopted\r');
      await until(term, /adopted/);
    } finally {
      term.close();
    }
    const removed = await fresh.removeOrphans(
      new Set([labs.a.deploymentId, ...(await fresh.list()).filter((id) => id !== labs.b.deploymentId)]),
    );
    expect(removed).toEqual([labs.b.deploymentId]);
    expect(await fresh.list()).toContain(labs.a.deploymentId);
    expect(await fresh.list()).not.toContain(labs.b.deploymentId);
  });

  it('destroy: the lab is gone from list, its machines no longer run commands, and a second destroy is harmless', async () => {
    await runtime.destroy(labs.a.deploymentId);
    expect(await runtime.list()).not.toContain(labs.a.deploymentId);
    expect(await outcome(runtime, labs.a, from.id)).not.toBe(0);
    await runtime.destroy(labs.a.deploymentId);
  });

  it('create with a placement, ping and revive: the addresses come back; reviving a running lab leaves it answering', async () => {
    await expect(runtime.ping()).resolves.toBeUndefined();
    const again = await runtime.create(t.newSessionId(), topology, { slot: labs.a.slot });
    try {
      expect(again.slot).toEqual(labs.a.slot);
      expect(again.machines.map((m) => m.addresses)).toEqual(labs.a.machines.map((m) => m.addresses));
      await runtime.revive(again);
      expect(await outcome(runtime, again, to.id)).toBe(0);
    } finally {
      await runtime.destroy(again.deploymentId);
    }
  });
}
