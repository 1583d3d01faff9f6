import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { newSessionId, sh, testRuntime } from '../support/labRuntime';

const { runtime } = testRuntime('hostaccess');
let deployment: LabDeployment;

beforeAll(async () => {
  deployment = await runtime.create(newSessionId(), chapterTopology);
});
afterAll(async () => {
  if (deployment) await runtime.destroy(deployment.deploymentId);
});

describe('trusted host-side access to a machine', () => {
  it("runs the host's own iptables-save in the machine's network namespace, even when the learner fakes theirs", async () => {
    const fake = await sh(
      runtime,
      deployment,
      'machine1',
      'printf "#!/bin/sh\\necho faked\\n" > /usr/sbin/xtables-nft-multi.fake && chmod +x /usr/sbin/xtables-nft-multi.fake && ln -sf /usr/sbin/xtables-nft-multi.fake "$(readlink -f /usr/sbin/iptables-save)" && iptables-save',
    );
    expect(fake.stdout.trim()).toBe('faked');
    const real = await runtime.netnsExec(deployment, 'machine1', ['iptables-save', '-t', 'filter']);
    expect(real.exitCode).toBe(0);
    expect(real.stdout).toContain('-A RH-Firewall-1-INPUT -j REJECT --reject-with icmp-host-prohibited');
    const addrs = await runtime.netnsExec(deployment, 'machine1', ['ip', '-o', '-4', 'addr', 'show']);
    expect(addrs.stdout).toContain(deployment.machines.find((m) => m.id === 'machine1')?.addresses.lan ?? 'missing');
  });

  it('passes stdin, streams stdout and stops on abort', async () => {
    const restore = await runtime.netnsExec(deployment, 'machine1', ['iptables-restore', '--test'], {
      stdin: '*filter\n-A INPUT --bogus-option\nCOMMIT\n',
    });
    expect(restore.exitCode).not.toBe(0);
    const chunks: string[] = [];
    const abort = new AbortController();
    const running = runtime.netnsExec(deployment, 'machine1', ['sh', '-c', 'echo started; sleep 30'], {
      onStdout: (c) => {
        chunks.push(c.toString());
        abort.abort();
      },
      signal: abort.signal,
      timeoutMs: 60_000,
    });
    const result = await running;
    expect(chunks.join('')).toContain('started');
    expect(result.timedOut).toBe(false);
  });

  it('reads a file through the archive API, with its mode; a missing file or a symlink is no file', async () => {
    const file = await runtime.readFile(deployment, 'machine1', '/etc/sysconfig/iptables');
    expect(file?.data.toString()).toContain('*filter');
    expect(file?.mode).toBe(0o600);
    expect(await runtime.readFile(deployment, 'machine1', '/etc/sysconfig/nope')).toBeUndefined();
    await sh(runtime, deployment, 'machine1', 'ln -s /etc/shadow /root/link && ln -s / /root/up && mkfifo /root/fifo');
    expect(await runtime.readFile(deployment, 'machine1', '/root/link')).toBeUndefined();
    // A symlinked directory on the way must not lead to the host's root (the server runs as root there).
    expect(await runtime.readFile(deployment, 'machine1', '/root/up/etc/hostname')).toBeUndefined();
    // A FIFO would block a plain open forever.
    expect(await runtime.readFile(deployment, 'machine1', '/root/fifo')).toBeUndefined();
  });
});
