import { expect, it } from 'vitest';
import { HostAccessUnavailable } from '../../server/runtime/LabRuntime';
import { bash, until, type ContractLabs } from './contractLabs';

/** A lab's machines: created, addressed, isolated, and reachable through exec, host tools, files and a terminal. */
export function machineContract(labs: ContractLabs): void {
  const { t, runtime, topology, from, to, shared } = labs;
  const addr = labs.addr;

  it('create: one machine per topology entry, each with a handle, on every network it names', () => {
    for (const deployment of [labs.a, labs.b]) {
      expect(deployment.machines.map((m) => m.id)).toEqual(topology.machines.map((m) => m.id));
      expect(deployment.networks.map((n) => n.id)).toEqual(topology.networks.map((n) => n.id));
      for (const spec of topology.machines) {
        const machine = deployment.machines.find((m) => m.id === spec.id);
        expect(machine?.ref).toBeTruthy();
        expect(Object.keys(machine?.addresses ?? {}).sort()).toEqual(spec.nics.map((n) => n.network).sort());
      }
    }
    expect(labs.a.slot).not.toBe(labs.b.slot);
  });

  it('addresses: the planned ones, on eth0, eth1… in NIC order, as the machine itself sees them', async () => {
    for (const spec of topology.machines) {
      const machine = labs.a.machines.find((m) => m.id === spec.id);
      const seen = await runtime.exec(
        labs.a,
        spec.id,
        bash('hostname; ip -4 -o addr show | awk \'$2 != "lo" {print $2, $4}\''),
      );
      const [hostname, ...nics] = seen.stdout.trim().split('\n');
      expect(hostname).toBe(machine?.hostname);
      const prefix = (network: string): string =>
        labs.a.networks.find((n) => n.id === network)?.subnet.split('/')[1] ?? '';
      const expected = spec.nics.map(
        (nic, i) => `eth${i} ${t.expectedAddress(labs.a, spec.id, nic.network)}/${prefix(nic.network)}`,
      );
      // Listed in kernel index order, which need not be name order: compare name -> address.
      expect(nics.map((l) => l.replace(/@\S+/, '')).sort(), `${spec.id} shows:\n${seen.stdout}${seen.stderr}`).toEqual(
        expected.sort(),
      );
      for (const nic of spec.nics)
        expect(machine?.addresses[nic.network]).toBe(t.expectedAddress(labs.a, spec.id, nic.network));
    }
  });

  it('isolation: machines reach each other inside a lab, never another lab, and no gateway answers', async () => {
    const inside = await runtime.exec(labs.a, from.id, bash(`ping -c 1 -W 2 ${addr(labs.a, to.id, shared.id)}`), {
      timeoutMs: 10_000,
    });
    expect(inside.exitCode).toBe(0);
    const across = await runtime.exec(labs.a, from.id, bash(`ping -c 1 -W 1 ${addr(labs.b, to.id, shared.id)}`), {
      timeoutMs: 10_000,
    });
    expect(across.exitCode).not.toBe(0);
    // A default route may exist (Docker adds one), but its gateway must not answer.
    for (const spec of topology.machines) {
      const way = await runtime.exec(
        labs.a,
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
    const result = await runtime.exec(labs.a, from.id, bash('read line; echo "got $line"; echo oops >&2; exit 3'), {
      stdin: 'hello\n',
    });
    expect(result).toEqual({ stdout: 'got hello\n', stderr: 'oops\n', exitCode: 3, timedOut: false });
    const slow = await runtime.exec(labs.a, from.id, bash('sleep 30'), { timeoutMs: 1000 });
    expect(slow.timedOut).toBe(true);
    await expect(runtime.exec(labs.a, 'no-such-machine', ['true'])).rejects.toThrow();
  });

  it("netnsExec: a host program sees the machine's own interfaces (or the runtime says it has no host access)", async () => {
    const spec = topology.machines[0];
    if (!spec) return;
    const result = await runtime
      .netnsExec(labs.a, spec.id, ['ip', '-4', '-o', 'addr', 'show'])
      .catch((error: unknown) => {
        if (error instanceof HostAccessUnavailable && !t.hostAccess) return undefined;
        throw error;
      });
    if (!result) return;
    for (const nic of spec.nics) expect(result.stdout).toContain(`${addr(labs.a, spec.id, nic.network)}/`);
  });

  it("readFile: a machine's file with its mode, without running anything inside; undefined when missing", async () => {
    await runtime.exec(labs.a, from.id, bash('printf "rules\\n" > /root/contract.txt && chmod 640 /root/contract.txt'));
    const file = await runtime.readFile(labs.a, from.id, '/root/contract.txt');
    expect(file?.data.toString()).toBe('rules\n');
    expect(file?.mode).toBe(0o640);
    expect(await runtime.readFile(labs.a, from.id, '/root/no-such-file')).toBeUndefined();
  });

  it('prepareHost: safe to run again while labs run', async () => {
    await runtime.prepareHost();
    const inside = await runtime.exec(labs.a, from.id, bash(`ping -c 1 -W 2 ${addr(labs.a, to.id, shared.id)}`), {
      timeoutMs: 10_000,
    });
    expect(inside.exitCode).toBe(0);
  });

  it('terminal: an interactive shell that echoes, runs commands and resizes', async () => {
    const term = await runtime.openTerminal(labs.a, from.id, { cols: 100, rows: 30 });
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
}
