import { mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import type { LabDeployment, TerminalStream } from '../../server/runtime/LabRuntime';
import { openExecTerminal } from '../../server/runtime/docker/execTerminal';
import { openMachineTerminal } from '../../server/runtime/docker/machineTerminal';
import { hostShellSocket, SHELL_SOCKET, terminalVolumeName } from '../../server/runtime/docker/terminalVolume';
import { newSessionId, sh, testRuntime } from '../support/labRuntime';

const { runtime, namespace } = testRuntime('shell');
const SIZE = { cols: 100, rows: 30 };

/** Collects a terminal's output; `until` resolves once it matches. */
function reader(stream: TerminalStream): {
  text: () => string;
  until: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
} {
  let text = '';
  const waiters = new Set<() => void>();
  stream.onData((chunk) => {
    text += chunk.toString('utf8');
    for (const w of waiters) w();
  });
  return {
    text: () => text,
    until: (pattern, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = text.match(pattern);
          if (!match) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(match);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${String(pattern)} in ${JSON.stringify(text.slice(-300))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
  };
}

/** Exits the shell and waits until dtach is gone, so the next open starts a new one. */
function endShell(stream: TerminalStream): Promise<void> {
  return new Promise((resolve) => {
    stream.onExit(resolve);
    stream.write('exit\r');
  });
}

async function shellPid(stream: TerminalStream): Promise<string> {
  const out = reader(stream);
  stream.write('echo "pid=$$"\r');
  return (await out.until(/pid=(\d+)/))[1] ?? '';
}

describe('the learner shell on each machine', () => {
  let deployment: LabDeployment;
  let hostSocket: string;

  beforeAll(async () => {
    deployment = await runtime.create(newSessionId(), chapterTopology);
    hostSocket =
      (await hostShellSocket(runtime.docker, terminalVolumeName(namespace, deployment.deploymentId, 'machine2'))) ?? '';
  });
  afterAll(() => runtime.destroy(deployment.deploymentId));

  it('is a root login shell with the hostname in its prompt, reached through its socket on the host', async () => {
    const stream = await runtime.openTerminal(deployment, 'machine2', SIZE);
    const out = reader(stream);
    await out.until(/\[root@machine2 ~\]# $/);
    // dtach marks its socket executable while a client is attached: the host side is attached.
    expect(statSync(hostSocket).mode & 0o100).toBe(0o100);
    stream.write('tput cols; tput lines\r');
    await out.until(/\b100\r\n30\r\n/);
    await endShell(stream);
  });

  it('keeps the same shell, cwd and running job for the next connection', async () => {
    const first = await runtime.openTerminal(deployment, 'machine2', SIZE);
    const pid = await shellPid(first);
    first.write('cd /etc/ssh\r');
    // A server crash: the connection drops without hanging up the shell.
    const second = await runtime.openTerminal(deployment, 'machine2', SIZE);
    const out = reader(second);
    second.write('echo "pid=$$ cwd=$PWD"\r');
    await out.until(new RegExp(`pid=${pid} cwd=/etc/ssh`));
    await endShell(second);
    first.close();
  });

  it('is the same shell when shown through docker exec, the fallback when the socket is out of reach', async () => {
    const direct = await runtime.openTerminal(deployment, 'machine2', SIZE);
    const pid = await shellPid(direct);
    const container = runtime.docker.getContainer(deployment.machines.find((m) => m.id === 'machine2')?.ref ?? '');
    const viaExec = await openExecTerminal(container, 'machine2', SIZE, SHELL_SOCKET);
    expect(await shellPid(viaExec)).toBe(pid);
    await endShell(direct);
    viaExec.close();
  });

  it('still opens on a machine from an older server, which has no shell volume', async () => {
    const container = runtime.docker.getContainer(deployment.machines.find((m) => m.id === 'office-pc')?.ref ?? '');
    const legacy = await openMachineTerminal(runtime.docker, {
      container,
      volumeName: `${terminalVolumeName(namespace, deployment.deploymentId, 'office-pc')}-missing`,
      hostname: 'office-pc',
      size: SIZE,
    });
    const out = reader(legacy);
    legacy.write('echo "legacy-$((6*7))"\r');
    await out.until(/legacy-42/);
    await endShell(legacy);
  });

  it('lives in a small tmpfs that cannot hold devices, setuid or executable files', async () => {
    const mounts = await sh(runtime, deployment, 'machine1', 'grep " /run/iptables-lab " /proc/mounts');
    expect(mounts.stdout).toMatch(/tmpfs/);
    for (const option of ['nosuid', 'nodev', 'noexec', 'size=1024k']) expect(mounts.stdout).toContain(option);
  });

  it('ignores a socket swapped for a symlink to a host socket, and still gives the learner a shell', async () => {
    // A decoy listening on the host: if the server followed the learner's symlink, it would land here.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ipl-decoy-'));
    const decoyPath = path.join(dir, 'decoy.sock');
    let decoyConnections = 0;
    const decoy = net.createServer((socket) => {
      decoyConnections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => decoy.listen(decoyPath, resolve));
    try {
      const planted = await sh(
        runtime,
        deployment,
        'machine1',
        `pkill -x dtach; sleep 0.3; ln -sf ${decoyPath} /run/iptables-lab/shell.sock && ls -l /run/iptables-lab`,
      );
      expect(planted.stdout).toContain(`-> ${decoyPath}`);

      const stream = await runtime.openTerminal(deployment, 'machine1', SIZE);
      const out = reader(stream);
      await out.until(/\[root@machine1 ~\]# $/);
      stream.write('echo "still-$((20+1))"\r');
      await out.until(/still-21/);
      expect(decoyConnections).toBe(0);
      stream.close();
    } finally {
      decoy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('starts a fresh shell after the machine restarts (the old socket is gone with the tmpfs)', async () => {
    const before = await runtime.openTerminal(deployment, 'office-pc', SIZE);
    expect(await shellPid(before)).not.toBe('');
    await runtime.restart(deployment, 'office-pc');
    const after = await runtime.openTerminal(deployment, 'office-pc', SIZE);
    const out = reader(after);
    await out.until(/\[root@office-pc ~\]# $/);
    after.write('echo alive-$((1+1))\r');
    await out.until(/alive-2/);
    after.close();
    before.close();
  });
});
