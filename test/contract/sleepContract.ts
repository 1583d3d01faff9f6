import { expect, it } from 'vitest';
import type { SleepCapability } from '../../server/runtime/LabRuntime';
import { bash, outcome, terminalAnswers, type ContractLabs } from './contractLabs';

/** Runtimes that put a lab to sleep, its files kept and its placement given up, and wake it. */
export function sleepContract(labs: ContractLabs, sleeper: SleepCapability): void {
  const { t, runtime, topology, from, to, shared } = labs;
  const addr = labs.addr;

  it('sleep and wake: machines stop with their files kept, boot again on the same placement and addresses; both are idempotent', async () => {
    await t.putFile(labs.a, to.id, { path: '/root/sleep-note', text: 'kept\n', mode: 0o644 });
    await sleeper.sleep(labs.a);
    await sleeper.sleep(labs.a);
    expect(await outcome(runtime, labs.a, to.id)).not.toBe(0);
    const woken = await sleeper.wake(labs.a, topology);
    expect(await sleeper.wake(woken, topology)).toEqual(woken);
    expect(woken.machines.map((m) => m.ref)).toEqual(labs.a.machines.map((m) => m.ref));
    // Nobody took the placement while the lab slept: the same addresses.
    expect(woken.slot).toEqual(labs.a.slot);
    expect(woken.machines.map((m) => m.addresses)).toEqual(labs.a.machines.map((m) => m.addresses));
    expect((await runtime.readFile(woken, to.id, '/root/sleep-note'))?.data.toString()).toBe('kept\n');
    expect(await outcome(runtime, woken, to.id)).toBe(0);
    if (!t.realMachines) return;
    const ping = await runtime.exec(woken, from.id, bash(`ping -c 1 -W 2 ${addr(woken, to.id, shared.id)}`), {
      timeoutMs: 10_000,
    });
    expect(ping.exitCode).toBe(0);
    await terminalAnswers(runtime, woken, to.id);
  });

  it('sleep gives up the placement: another lab may take it, and the sleeper wakes elsewhere with its files', async () => {
    await t.putFile(labs.a, to.id, { path: '/root/move-note', text: 'moved\n', mode: 0o644 });
    await sleeper.sleep(labs.a);
    const taker = await runtime.create(t.newSessionId(), topology, { slot: labs.a.slot });
    try {
      expect(taker.slot).toEqual(labs.a.slot);
      const woken = await sleeper.wake(labs.a, topology);
      expect(woken.slot).not.toEqual(labs.a.slot);
      expect(woken.machines.map((m) => m.ref)).toEqual(labs.a.machines.map((m) => m.ref));
      for (const spec of topology.machines)
        for (const nic of spec.nics)
          expect(addr(woken, spec.id, nic.network)).toBe(t.expectedAddress(woken, spec.id, nic.network));
      expect((await runtime.readFile(woken, to.id, '/root/move-note'))?.data.toString()).toBe('moved\n');
      labs.a = woken;
    } finally {
      await runtime.destroy(taker.deploymentId);
    }
  });

  // Only real machines have interfaces and /etc/hosts to show.
  if (t.realMachines)
    it('wake elsewhere, inside: each address on its own interface in NIC order, and names follow the new addresses', async () => {
      for (const spec of topology.machines) {
        const seen = await runtime.exec(
          labs.a,
          spec.id,
          bash('ip -4 -o addr show | awk \'$2 != "lo" {print $2, $4}\''),
        );
        const shown = seen.stdout
          .trim()
          .split('\n')
          .map((l) => l.replace(/@\S+/, '').replace(/\/\d+$/, ''));
        expect(shown.sort(), spec.id).toEqual(
          spec.nics.map((nic, i) => `eth${i} ${addr(labs.a, spec.id, nic.network)}`).sort(),
        );
      }
      const byName = await runtime.exec(
        labs.a,
        from.id,
        bash(`getent hosts ${to.id} | awk '{print $1}'; ping -c 1 -W 2 ${to.id} >/dev/null && echo reached`),
        { timeoutMs: 10_000 },
      );
      expect(byName.stdout).toBe(`${addr(labs.a, to.id, shared.id)}\nreached\n`);
    });

  it('reset of a sleeping lab: it gets its placement back and its machines run', async () => {
    await sleeper.sleep(labs.b);
    const fresh = await runtime.reset(labs.b, topology);
    expect(fresh.slot).toEqual(labs.b.slot);
    for (const spec of topology.machines) expect(await outcome(runtime, fresh, spec.id)).toBe(0);
    labs.b = fresh;
  });
}
