import { expect, it } from 'vitest';
import { bash, until, type ContractLabs } from './contractLabs';

/**
 * What real Linux machines show from inside (runtimes whose machines run programs): their
 * addresses, isolation, exec's streams and time limit, a shell's size, a reboot.
 */
export function machineContract(labs: ContractLabs): void {
  const { t, runtime, topology, from, to, shared } = labs;
  const addr = labs.addr;

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

  it('terminal: an interactive shell that runs commands and tells its size', async () => {
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

  it('restart: the machine boots again with the same addresses and answers', async () => {
    await runtime.restart(labs.a, to.id);
    const seen = await runtime.exec(labs.a, to.id, bash('ip -4 -o addr show'));
    expect(seen.stdout).toContain(`${addr(labs.a, to.id, shared.id)}/`);
    const ping = await runtime.exec(labs.a, from.id, bash(`ping -c 1 -W 2 ${addr(labs.a, to.id, shared.id)}`), {
      timeoutMs: 10_000,
    });
    expect(ping.exitCode).toBe(0);
  });
}
