import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HostAccessUnavailable,
  type LabInstance,
  type LabRuntime,
  type TerminalStream,
} from '../../server/runtime/LabRuntime';
import type { Topology } from '../../labkit/topology';

/**
 * What every LabRuntime must do, whatever runs the machines (Docker here; Kubernetes later, see
 * docs/scaling.md). Two labs of `topology` serve every assertion, so a real runtime runs it quickly.
 */
export interface RuntimeUnderTest {
  /** A runtime in a namespace of its own, so the suite never sees anyone else's labs. */
  runtime: LabRuntime;
  /** A second runtime object on the same namespace: what a restarted server constructs. */
  again: () => LabRuntime;
  topology: Topology;
  /** The address a machine gets on a network: the runtime's addressing plan. */
  expectedAddress: (lab: LabInstance, machineId: string, networkId: string) => string;
  newSessionId: () => string;
  /** Whether this runtime, here, can run host programs in a machine's namespace (netnsExec). */
  hostAccess: boolean;
}

const bash = (script: string): string[] => ['bash', '-c', script];

/** Resolves once the terminal's output matches, or rejects with what it did show. */
function until(stream: TerminalStream, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${String(pattern)} in ${JSON.stringify(text.slice(-300))}`));
    }, timeoutMs);
    const off = stream.onData((chunk) => {
      text += chunk.toString('utf8');
      if (!pattern.test(text)) return;
      clearTimeout(timer);
      off();
      resolve(text);
    });
  });
}

export function describeRuntimeContract(name: string, setup: () => RuntimeUnderTest): void {
  describe(`LabRuntime contract: ${name}`, () => {
    const t = setup();
    const { runtime, topology } = t;
    let a: LabInstance;
    let b: LabInstance;
    // Two machines on a shared network, to prove reachability inside a lab against isolation across.
    const shared = topology.networks.find(
      (n) => topology.machines.filter((m) => m.nics.some((nic) => nic.network === n.id)).length >= 2,
    );
    const [from, to] = topology.machines.filter((m) => m.nics.some((nic) => nic.network === shared?.id));
    if (!shared || !from || !to) throw new Error('the contract needs a topology with two machines on one network');
    const addr = (lab: LabInstance, machineId: string, networkId: string): string =>
      lab.machines.find((m) => m.id === machineId)?.addresses[networkId] ?? '';

    beforeAll(async () => {
      [a, b] = await Promise.all([
        runtime.create(t.newSessionId(), topology),
        runtime.create(t.newSessionId(), topology),
      ]);
    });
    afterAll(async () => {
      await Promise.all([a, b].filter(Boolean).map((lab) => runtime.destroy(lab.labSessionId)));
      await runtime.close();
    });

    it('create: one machine per topology entry, each with a handle, on every network it names', () => {
      for (const lab of [a, b]) {
        expect(lab.machines.map((m) => m.id)).toEqual(topology.machines.map((m) => m.id));
        expect(lab.networks.map((n) => n.id)).toEqual(topology.networks.map((n) => n.id));
        for (const spec of topology.machines) {
          const machine = lab.machines.find((m) => m.id === spec.id);
          expect(machine?.ref).toBeTruthy();
          expect(Object.keys(machine?.addresses ?? {}).sort()).toEqual(spec.nics.map((n) => n.network).sort());
        }
      }
      expect(a.slot).not.toBe(b.slot);
    });

    it('addresses: the planned ones, on eth0, eth1… in NIC order, as the machine itself sees them', async () => {
      for (const spec of topology.machines) {
        const machine = a.machines.find((m) => m.id === spec.id);
        const seen = await runtime.exec(
          a,
          spec.id,
          bash('hostname; ip -4 -o addr show | awk \'$2 != "lo" {print $2, $4}\''),
        );
        const [hostname, ...nics] = seen.stdout.trim().split('\n');
        expect(hostname).toBe(machine?.hostname);
        const prefix = (network: string): string =>
          a.networks.find((n) => n.id === network)?.subnet.split('/')[1] ?? '';
        const expected = spec.nics.map(
          (nic, i) => `eth${i} ${t.expectedAddress(a, spec.id, nic.network)}/${prefix(nic.network)}`,
        );
        // Listed in kernel index order, which need not be name order: compare name -> address.
        expect(
          nics.map((l) => l.replace(/@\S+/, '')).sort(),
          `${spec.id} shows:\n${seen.stdout}${seen.stderr}`,
        ).toEqual(expected.sort());
        for (const nic of spec.nics)
          expect(machine?.addresses[nic.network]).toBe(t.expectedAddress(a, spec.id, nic.network));
      }
    });

    it('isolation: machines reach each other inside a lab, never another lab, and no gateway answers', async () => {
      const inside = await runtime.exec(a, from.id, bash(`ping -c 1 -W 2 ${addr(a, to.id, shared.id)}`), {
        timeoutMs: 10_000,
      });
      expect(inside.exitCode).toBe(0);
      const across = await runtime.exec(a, from.id, bash(`ping -c 1 -W 1 ${addr(b, to.id, shared.id)}`), {
        timeoutMs: 10_000,
      });
      expect(across.exitCode).not.toBe(0);
      // A default route may exist (Docker adds one), but its gateway must not answer.
      for (const spec of topology.machines) {
        const way = await runtime.exec(
          a,
          spec.id,
          bash('gw=$(ip route show default | awk \'{print $3; exit}\'); [ -z "$gw" ] || ping -c 1 -W 1 "$gw"'),
          { timeoutMs: 10_000 },
        );
        expect(way.exitCode === 0 && way.stdout !== '', `${spec.id} has a gateway that answers: ${way.stdout}`).toBe(
          false,
        );
      }
    });

    it('exec: exit code, stdout, stderr and stdin apart; a command over its time limit is stopped', async () => {
      const result = await runtime.exec(a, from.id, bash('read line; echo "got $line"; echo oops >&2; exit 3'), {
        stdin: 'hello\n',
      });
      expect(result).toEqual({ stdout: 'got hello\n', stderr: 'oops\n', exitCode: 3, timedOut: false });
      const slow = await runtime.exec(a, from.id, bash('sleep 30'), { timeoutMs: 1000 });
      expect(slow.timedOut).toBe(true);
      await expect(runtime.exec(a, 'no-such-machine', ['true'])).rejects.toThrow();
    });

    it("netnsExec: a host program sees the machine's own interfaces (or the runtime says it has no host access)", async () => {
      const spec = topology.machines[0];
      if (!spec) return;
      const result = await runtime.netnsExec(a, spec.id, ['ip', '-4', '-o', 'addr', 'show']).catch((error: unknown) => {
        if (error instanceof HostAccessUnavailable && !t.hostAccess) return undefined;
        throw error;
      });
      if (!result) return;
      for (const nic of spec.nics) expect(result.stdout).toContain(`${addr(a, spec.id, nic.network)}/`);
    });

    it("readFile: a machine's file with its mode, without running anything inside; undefined when missing", async () => {
      await runtime.exec(a, from.id, bash('printf "rules\\n" > /root/contract.txt && chmod 640 /root/contract.txt'));
      const file = await runtime.readFile(a, from.id, '/root/contract.txt');
      expect(file?.data.toString()).toBe('rules\n');
      expect(file?.mode).toBe(0o640);
      expect(await runtime.readFile(a, from.id, '/root/no-such-file')).toBeUndefined();
    });

    it('prepareHost: safe to run again while labs run', async () => {
      await runtime.prepareHost();
      const inside = await runtime.exec(a, from.id, bash(`ping -c 1 -W 2 ${addr(a, to.id, shared.id)}`), {
        timeoutMs: 10_000,
      });
      expect(inside.exitCode).toBe(0);
    });

    it('terminal: an interactive shell that echoes, runs commands and resizes', async () => {
      const term = await runtime.openTerminal(a, from.id, { cols: 100, rows: 30 });
      try {
        term.write('stty size; echo $((6*7))\r');
        await until(term, /30 100[\s\S]*42/);
        await term.resize({ cols: 120, rows: 40 });
        term.write('stty size\r');
        await until(term, /40 120/);
      } finally {
        term.close();
      }
    });

    it('restart: the machine boots again with the same addresses and answers', async () => {
      await runtime.restart(a, to.id);
      const seen = await runtime.exec(a, to.id, bash('ip -4 -o addr show'));
      expect(seen.stdout).toContain(`${addr(a, to.id, shared.id)}/`);
      const ping = await runtime.exec(a, from.id, bash(`ping -c 1 -W 2 ${addr(a, to.id, shared.id)}`), {
        timeoutMs: 10_000,
      });
      expect(ping.exitCode).toBe(0);
    });

    it('sleep and wake: machines stop with their files kept, boot again on the same addresses; both are idempotent', async () => {
      const noted = await runtime.exec(a, to.id, bash('echo kept > /root/sleep-note && echo ok'));
      expect(noted.stdout).toBe('ok\n');
      await runtime.sleep(a);
      await runtime.sleep(a);
      const asleep = await runtime.exec(a, to.id, ['true']).then(
        (r) => r.exitCode,
        () => 'refused',
      );
      expect(asleep).not.toBe(0);
      const woken = await runtime.wake(a, topology);
      expect(await runtime.wake(woken, topology)).toEqual(woken);
      expect(woken.machines.map((m) => m.ref)).toEqual(a.machines.map((m) => m.ref));
      // Nobody took the slot while the lab slept: the same addresses.
      expect(woken.slot).toBe(a.slot);
      expect(woken.machines.map((m) => m.addresses)).toEqual(a.machines.map((m) => m.addresses));
      expect((await runtime.exec(woken, to.id, bash('cat /root/sleep-note'))).stdout).toBe('kept\n');
      const ping = await runtime.exec(woken, from.id, bash(`ping -c 1 -W 2 ${addr(woken, to.id, shared.id)}`), {
        timeoutMs: 10_000,
      });
      expect(ping.exitCode).toBe(0);
      const term = await runtime.openTerminal(woken, to.id, { cols: 80, rows: 24 });
      try {
        term.write('echo $((6*7))\r');
        await until(term, /42/);
      } finally {
        term.close();
      }
    });

    it('sleep gives up the slot: another lab may take it, and the sleeper wakes elsewhere with its files and working names', async () => {
      await runtime.exec(a, to.id, bash('echo moved > /root/move-note'));
      await runtime.sleep(a);
      const taker = await runtime.create(t.newSessionId(), topology, { slot: a.slot });
      try {
        expect(taker.slot).toBe(a.slot);
        const woken = await runtime.wake(a, topology);
        expect(woken.slot).not.toBe(a.slot);
        expect(woken.machines.map((m) => m.ref)).toEqual(a.machines.map((m) => m.ref));
        for (const spec of topology.machines)
          for (const nic of spec.nics)
            expect(addr(woken, spec.id, nic.network)).toBe(t.expectedAddress(woken, spec.id, nic.network));
        // Each address on its own interface, in NIC order, as at create.
        for (const spec of topology.machines) {
          const seen = await runtime.exec(
            woken,
            spec.id,
            bash('ip -4 -o addr show | awk \'$2 != "lo" {print $2, $4}\''),
          );
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
        a = woken;
      } finally {
        await runtime.destroy(taker.labSessionId);
      }
    });

    it('reset: fresh machines on the same slot and addresses, the old files gone; a sleeping lab is reset too', async () => {
      await runtime.exec(b, to.id, bash('echo old > /root/reset-note'));
      const fresh = await runtime.reset(b, topology);
      expect(fresh.labSessionId).toBe(b.labSessionId);
      expect(fresh.slot).toBe(b.slot);
      expect(fresh.machines.map((m) => m.addresses)).toEqual(b.machines.map((m) => m.addresses));
      expect(fresh.machines.map((m) => m.ref)).not.toEqual(b.machines.map((m) => m.ref));
      const gone = await runtime.exec(fresh, to.id, bash('cat /root/reset-note 2>/dev/null || echo none'));
      expect(gone.stdout).toBe('none\n');
      const ping = await runtime.exec(fresh, from.id, bash(`ping -c 1 -W 2 ${addr(fresh, to.id, shared.id)}`), {
        timeoutMs: 10_000,
      });
      expect(ping.exitCode).toBe(0);
      await runtime.sleep(fresh);
      b = await runtime.reset(fresh, topology);
      expect(b.slot).toBe(fresh.slot);
      expect((await runtime.exec(b, from.id, ['true'])).exitCode).toBe(0);
    });

    it('list and adopt: a new runtime object takes a stored lab back and removes only the orphans', async () => {
      const fresh = t.again();
      expect(await fresh.list()).toEqual(expect.arrayContaining([a.labSessionId, b.labSessionId]));
      const stored = JSON.parse(JSON.stringify(a)) as LabInstance;
      const result = await fresh.exec(stored, from.id, bash('echo adopted'));
      expect(result.stdout).toBe('adopted\n');
      const term = await fresh.openTerminal(stored, from.id, { cols: 80, rows: 24 });
      try {
        term.write('echo $((7*6))\r');
        await until(term, /42/);
      } finally {
        term.close();
      }
      const removed = await fresh.removeOrphans(
        new Set([a.labSessionId, ...(await fresh.list()).filter((id) => id !== b.labSessionId)]),
      );
      expect(removed).toEqual([b.labSessionId]);
      expect(await fresh.list()).toContain(a.labSessionId);
      expect(await fresh.list()).not.toContain(b.labSessionId);
    });

    it('destroy: the lab is gone from list, its machines no longer run commands, and a second destroy is harmless', async () => {
      await runtime.destroy(a.labSessionId);
      expect(await runtime.list()).not.toContain(a.labSessionId);
      const after = await runtime.exec(a, from.id, ['true']).then(
        (r) => r.exitCode,
        () => 'gone',
      );
      expect(after).not.toBe(0);
      await runtime.destroy(a.labSessionId);
    });

    it('create with a slot, ping and revive: a reset gets its addresses back; reviving a running lab leaves it answering', async () => {
      await expect(runtime.ping()).resolves.toBeUndefined();
      const again = await runtime.create(t.newSessionId(), topology, { slot: a.slot });
      try {
        expect(again.slot).toBe(a.slot);
        expect(addr(again, to.id, shared.id)).toBe(addr(a, to.id, shared.id));
        await runtime.revive(again);
        const ping = await runtime.exec(again, from.id, bash(`ping -c 1 -W 2 ${addr(again, to.id, shared.id)}`), {
          timeoutMs: 10_000,
        });
        expect(ping.exitCode).toBe(0);
      } finally {
        await runtime.destroy(again.labSessionId);
      }
    });
  });
}
