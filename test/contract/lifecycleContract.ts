import { expect, it } from 'vitest';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { bash, terminalAnswers, type ContractLabs } from './contractLabs';

/** A lab's life: restart, sleep and wake, reset, adoption by a restarted server, destroy. */
export function lifecycleContract(labs: ContractLabs): void {
  const { t, runtime, topology, from, to, shared } = labs;
  const addr = labs.addr;

  it('restart: the machine boots again with the same addresses and answers', async () => {
    await runtime.restart(labs.a, to.id);
    const seen = await runtime.exec(labs.a, to.id, bash('ip -4 -o addr show'));
    expect(seen.stdout).toContain(`${addr(labs.a, to.id, shared.id)}/`);
    const ping = await runtime.exec(labs.a, from.id, bash(`ping -c 1 -W 2 ${addr(labs.a, to.id, shared.id)}`), {
      timeoutMs: 10_000,
    });
    expect(ping.exitCode).toBe(0);
  });

  it('sleep and wake: machines stop with their files kept, boot again on the same addresses; both are idempotent', async () => {
    const noted = await runtime.exec(labs.a, to.id, bash('echo kept > /root/sleep-note && echo ok'));
    expect(noted.stdout).toBe('ok\n');
    await runtime.sleep(labs.a);
    await runtime.sleep(labs.a);
    const asleep = await runtime.exec(labs.a, to.id, ['true']).then(
      (r) => r.exitCode,
      () => 'refused',
    );
    expect(asleep).not.toBe(0);
    const woken = await runtime.wake(labs.a, topology);
    expect(await runtime.wake(woken, topology)).toEqual(woken);
    expect(woken.machines.map((m) => m.ref)).toEqual(labs.a.machines.map((m) => m.ref));
    // Nobody took the slot while the lab slept: the same addresses.
    expect(woken.slot).toBe(labs.a.slot);
    expect(woken.machines.map((m) => m.addresses)).toEqual(labs.a.machines.map((m) => m.addresses));
    expect((await runtime.exec(woken, to.id, bash('cat /root/sleep-note'))).stdout).toBe('kept\n');
    const ping = await runtime.exec(woken, from.id, bash(`ping -c 1 -W 2 ${addr(woken, to.id, shared.id)}`), {
      timeoutMs: 10_000,
    });
    expect(ping.exitCode).toBe(0);
    await terminalAnswers(runtime, woken, to.id);
  });

  it('sleep gives up the slot: another lab may take it, and the sleeper wakes elsewhere with its files and working names', async () => {
    await runtime.exec(labs.a, to.id, bash('echo moved > /root/move-note'));
    await runtime.sleep(labs.a);
    const taker = await runtime.create(t.newSessionId(), topology, { slot: labs.a.slot });
    try {
      expect(taker.slot).toBe(labs.a.slot);
      const woken = await runtime.wake(labs.a, topology);
      expect(woken.slot).not.toBe(labs.a.slot);
      expect(woken.machines.map((m) => m.ref)).toEqual(labs.a.machines.map((m) => m.ref));
      for (const spec of topology.machines)
        for (const nic of spec.nics)
          expect(addr(woken, spec.id, nic.network)).toBe(t.expectedAddress(woken, spec.id, nic.network));
      // Each address on its own interface, in NIC order, as at create.
      for (const spec of topology.machines) {
        const seen = await runtime.exec(woken, spec.id, bash('ip -4 -o addr show | awk \'$2 != "lo" {print $2, $4}\''));
        const shown = seen.stdout
          .trim()
          .split('\n')
          .map((l) => l.replace(/@\S+/, '').replace(/\/\d+$/, ''));
        expect(shown.sort(), spec.id).toEqual(
          spec.nics.map((nic, i) => `eth${i} ${addr(woken, spec.id, nic.network)}`).sort(),
        );
      }
      expect((await runtime.exec(woken, to.id, bash('cat /root/move-note'))).stdout).toBe('moved\n');
      // Names follow the new addresses.
      const byName = await runtime.exec(
        woken,
        from.id,
        bash(`getent hosts ${to.id} | awk '{print $1}'; ping -c 1 -W 2 ${to.id} >/dev/null && echo reached`),
        {
          timeoutMs: 10_000,
        },
      );
      expect(byName.stdout).toBe(`${addr(woken, to.id, shared.id)}\nreached\n`);
      labs.a = woken;
    } finally {
      await runtime.destroy(taker.deploymentId);
    }
  });

  it('reset: fresh machines on the same slot and addresses, the old files gone; a sleeping lab is reset too', async () => {
    await runtime.exec(labs.b, to.id, bash('echo old > /root/reset-note'));
    const fresh = await runtime.reset(labs.b, topology);
    expect(fresh.deploymentId).toBe(labs.b.deploymentId);
    expect(fresh.slot).toBe(labs.b.slot);
    expect(fresh.machines.map((m) => m.addresses)).toEqual(labs.b.machines.map((m) => m.addresses));
    expect(fresh.machines.map((m) => m.ref)).not.toEqual(labs.b.machines.map((m) => m.ref));
    const gone = await runtime.exec(fresh, to.id, bash('cat /root/reset-note 2>/dev/null || echo none'));
    expect(gone.stdout).toBe('none\n');
    const ping = await runtime.exec(fresh, from.id, bash(`ping -c 1 -W 2 ${addr(fresh, to.id, shared.id)}`), {
      timeoutMs: 10_000,
    });
    expect(ping.exitCode).toBe(0);
    await runtime.sleep(fresh);
    labs.b = await runtime.reset(fresh, topology);
    expect(labs.b.slot).toBe(fresh.slot);
    expect((await runtime.exec(labs.b, from.id, ['true'])).exitCode).toBe(0);
  });

  it('list and adopt: a new runtime object takes a stored lab back and removes only the orphans', async () => {
    const fresh = t.again();
    expect(await fresh.list()).toEqual(expect.arrayContaining([labs.a.deploymentId, labs.b.deploymentId]));
    const stored = JSON.parse(JSON.stringify(labs.a)) as LabDeployment;
    const result = await fresh.exec(stored, from.id, bash('echo adopted'));
    expect(result.stdout).toBe('adopted\n');
    await terminalAnswers(fresh, stored, from.id);
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
    const after = await runtime.exec(labs.a, from.id, ['true']).then(
      (r) => r.exitCode,
      () => 'gone',
    );
    expect(after).not.toBe(0);
    await runtime.destroy(labs.a.deploymentId);
  });

  it('create with a slot, ping and revive: a reset gets its addresses back; reviving a running lab leaves it answering', async () => {
    await expect(runtime.ping()).resolves.toBeUndefined();
    const again = await runtime.create(t.newSessionId(), topology, { slot: labs.a.slot });
    try {
      expect(again.slot).toBe(labs.a.slot);
      expect(addr(again, to.id, shared.id)).toBe(addr(labs.a, to.id, shared.id));
      await runtime.revive(again);
      const ping = await runtime.exec(again, from.id, bash(`ping -c 1 -W 2 ${addr(again, to.id, shared.id)}`), {
        timeoutMs: 10_000,
      });
      expect(ping.exitCode).toBe(0);
    } finally {
      await runtime.destroy(again.deploymentId);
    }
  });
}
