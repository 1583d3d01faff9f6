import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabInstance } from '../../server/runtime/LabRuntime';
import { chapterTopology } from '../../server/runtime/topology';
import { address, newSessionId, sh, testRuntime } from '../support/labRuntime';

/**
 * The runtime's trusted views of a machine: host programs in its network namespace and files
 * through the archive API. A learner who is root inside replaces the machine's own tools with
 * liars; neither view may notice.
 */
const { runtime } = testRuntime('hostaccess');
let lab: LabInstance;

const FAKE = '#!/bin/sh\necho "-A RH-Firewall-1-INPUT -p tcp --dport 443 -j ACCEPT"; echo "64 bytes from 1.2.3.4: icmp_seq=1"; echo "forged"\n';
const install = (dest: string) => `printf '%s' '${FAKE}' > ${dest} && chmod 755 ${dest}`;

beforeAll(async () => {
  lab = await runtime.create(newSessionId(), chapterTopology);
  // The learner lies with every tool a checker used to run, in front of the PATH and in place.
  const fakes = ['iptables-save', 'iptables', 'iptables-restore', 'ping', 'cat', 'stat', 'head', 'nc', 'curl'];
  await sh(runtime, lab, 'machine1', [...fakes.map((f) => install(`/usr/local/sbin/${f}`)), install('/usr/sbin/iptables-nft-save'), install('/usr/bin/cat')].join(' && '));
  await sh(runtime, lab, 'machine2', [...fakes.map((f) => install(`/usr/local/bin/${f}`)), install('/usr/bin/ping')].join(' && '));
});
afterAll(async () => {
  if (lab) await runtime.destroy(lab.labSessionId);
});

describe('netnsExec', () => {
  it("reads the machine's real firewall with the host's iptables, not the learner's", async () => {
    const r = await runtime.netnsExec(lab, 'machine1', ['iptables-nft-save', '-c', '-t', 'filter']);
    expect(r.trusted).toBe(true);
    expect(r.stdout).toMatch(/^:RH-Firewall-1-INPUT - \[\d+:\d+\]$/m);
    expect(r.stdout).toMatch(/-A RH-Firewall-1-INPUT -j REJECT --reject-with icmp-host-prohibited/);
    expect(r.stdout).not.toMatch(/forged|--dport 443/);
  });

  it("probes from a client with the host's ping and nc, in the client's namespace", async () => {
    const m1 = address(lab, 'machine1', 'lan');
    const ping = await runtime.netnsExec(lab, 'machine2', ['ping', '-n', '-c', '1', '-W', '2', m1]);
    expect(ping.stdout).toMatch(new RegExp(`bytes from ${m1.replace(/\./g, '\\.')}`));
    const nc = await runtime.netnsExec(lab, 'machine2', ['nc', '-z', '-w', '2', m1, '22']);
    expect(nc.exitCode).toBe(0);
    const closed = await runtime.netnsExec(lab, 'machine2', ['nc', '-z', '-w', '2', m1, '25']);
    expect(closed.exitCode).not.toBe(0);
  });

  it('kills a program that outlives its timeout', async () => {
    const r = await runtime.netnsExec(lab, 'machine2', ['sleep', '5'], { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
  });
});

describe('readFile', () => {
  it('reads content and mode through the archive API, whatever cat and stat say', async () => {
    const f = await runtime.readFile(lab, 'machine1', '/etc/sysconfig/iptables');
    expect(f).toMatchObject({ kind: 'file', mode: 0o600, uid: 0, trusted: true, truncated: false });
    expect(f.text).toMatch(/^\*filter$[\s\S]*^COMMIT$/m);
    expect(f.text).not.toMatch(/forged/);
  });

  it('tells missing paths, directories and followed symlinks apart, and caps what it reads', async () => {
    await sh(runtime, lab, 'machine2', 'mkdir -p /root/d && ln -s /root/d/real /root/link && printf abc > /root/d/real && truncate -s 300000 /root/big');
    expect((await runtime.readFile(lab, 'machine2', '/root/none')).kind).toBe('missing');
    expect((await runtime.readFile(lab, 'machine2', '/root/d')).kind).toBe('other');
    expect(await runtime.readFile(lab, 'machine2', '/root/link')).toMatchObject({ kind: 'file', text: 'abc' });
    expect(await runtime.readFile(lab, 'machine2', '/root/big', { maxBytes: 1000 })).toMatchObject({ kind: 'file', truncated: true, size: 300000 });
  });
});
