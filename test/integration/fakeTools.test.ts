import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singleServerLab } from '../../labs/iptables-single-server';
import { INTENDED_RULES } from '../../labs/iptables-single-server/bookFiles';
import type { LabDriver } from '../../server/grading/selfTest';
import { singleServerDriver, type MachineShell } from '../support/labDriver';
import { fake } from '../support/learnerForgeries';

/**
 * A root learner's fakes of the machines' own tools change no check: the checks read the host's
 * programs and the kernel, never a program inside a machine.
 */
let driver: LabDriver;
let sh: MachineShell;
let m1 = '';

const direct = (stepId: string) => driver.check(stepId);

beforeAll(async () => {
  ({ driver, sh } = await singleServerDriver('labtools'));
  m1 = driver.deployment.machines.find((x) => x.id === 'machine1')?.addresses.lan ?? '';
});
afterAll(async () => {
  await driver.close();
});

describe("the learner's own tools are never believed", () => {
  it('fakes of iptables-save, iptables-restore, cat, ping, nc, curl and nmap, in /usr/local or swapped in place, change no check', async () => {
    const before = new Map<string, string>();
    for (const step of singleServerLab.steps) before.set(step.id, (await direct(step.id)).message);
    const solvedRules = INTENDED_RULES.replace(
      '-j REJECT',
      '-p tcp --dport 443 -j ACCEPT\n-A RH-Firewall-1-INPUT -j REJECT',
    );
    const m1Fakes = [
      'iptables-save',
      'iptables-nft-save',
      'iptables-restore',
      'iptables-nft-restore',
      'cat',
      'stat',
      'date',
      'ls',
    ];
    await sh(
      'machine1',
      [
        ...m1Fakes.map((f) => fake(`/usr/local/sbin/${f}`, solvedRules)),
        'cp -a /usr/sbin/xtables-nft-multi /root/real-xtables',
        fake('/usr/sbin/xtables-nft-multi', solvedRules),
      ].join(' && '),
    );
    const scan = `Starting Nmap 7.93\nNmap scan report for ${m1}\n22/tcp open ssh\n80/tcp open http\nNmap done: 1 IP address (1 host up) scanned in 0.1 seconds`;
    for (const client of ['machine2', 'office-pc']) {
      await sh(
        client,
        [
          fake('/usr/local/bin/nc', ''),
          fake('/usr/local/bin/curl', '<html>Machine 1</html>'),
          fake('/usr/local/bin/cat', scan),
          fake('/usr/local/bin/find', '/root/first-scan.txt'),
          'cp -a /usr/bin/ping /root/real-ping',
          fake('/usr/bin/ping', `64 bytes from ${m1}: icmp_seq=1 ttl=64 time=0.1 ms`),
        ].join(' && '),
      );
    }
    for (const step of singleServerLab.steps) {
      const after = await direct(step.id);
      expect(after.passed, `${step.id}: ${after.message}`).toBe(false);
      expect(after.message, step.id).toBe(before.get(step.id));
    }
    await sh(
      'machine1',
      `cp -a /root/real-xtables /usr/sbin/xtables-nft-multi && rm -f ${m1Fakes.map((f) => `/usr/local/sbin/${f}`).join(' ')}`,
    );
    for (const client of ['machine2', 'office-pc'])
      await sh(
        client,
        'cp -a /root/real-ping /usr/bin/ping && rm -f /usr/local/bin/nc /usr/local/bin/curl /usr/local/bin/cat /usr/local/bin/find',
      );
    expect(await sh('machine1', 'iptables-save -t filter | grep -c RH-Firewall')).not.toBe('0\n');
  });
});
