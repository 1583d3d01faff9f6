import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradingEngine } from '../../server/grading/GradingEngine';
import type { LabDriver } from '../../server/grading/selfTest';
import { engineCheck, singleServerDriver, type MachineShell } from '../support/labDriver';

/**
 * Known-wrong attempts fail with the right message, and latching holds. One lab, steps in order:
 * each step gets its wrong attempt(s), then its solve, then a pass through the grading engine.
 */
let driver: LabDriver;
let engine: GradingEngine;
let id = '';
let a: { m1: string; m2: string };

let sh: MachineShell;
const check = (stepId: string) => engineCheck(engine, driver, id, stepId);
const solved = async (stepId: string) => {
  await driver.solve(stepId);
  const result = await check(stepId);
  expect(result, result.message).toMatchObject({ passed: true });
};
const typeLine = (machine: string, line: string) => driver.terminals.type(machine, `${line}\r`);
const waitTranscript = async (machine: string, pattern: RegExp) => {
  for (let i = 0; i < 100 && !pattern.test(driver.terminals.transcript(machine)); i++)
    await new Promise((r) => setTimeout(r, 100));
};

beforeAll(async () => {
  ({ driver, engine, id, sh } = await singleServerDriver('labwrong'));
  const addr = (m: string) => driver.deployment.machines.find((x) => x.id === m)?.addresses.lan ?? '';
  a = { m1: addr('machine1'), m2: addr('machine2') };
});
afterAll(async () => {
  await driver?.close();
});

describe('known-wrong attempts', () => {
  it('1 tour: naming INPUT itself is not the chain it jumps to', async () => {
    driver.answers.set('tour', { jump: 'INPUT', last: 'rejects' });
    expect((await check('tour')).message).toMatch(/INPUT is where packets start/);
    driver.answers.set('tour', {});
    await solved('tour');
  });

  it('2 backup: a copy that lost the mode (made with cat) is refused', async () => {
    await sh('machine1', 'umask 022; cat /etc/sysconfig/iptables > /etc/sysconfig/iptables-$(date +%Y-%m-%d)_BAK');
    expect((await check('backup')).message).toMatch(/has mode 644, but the original has 600/);
    await solved('backup');
  });

  it('3 baseline scan: scanning with the firewall still running', async () => {
    await sh('machine2', `nmap ${a.m1} > /root/first-scan.txt`);
    expect((await check('baseline-scan')).message).toMatch(/lists only 22, 80 as open.*firewall was still running/);
    await solved('baseline-scan');
  });

  it('4 ICMP off: edited but not restarted, firewall stopped, and an echoed "Destination Host Prohibited" all fail', async () => {
    await sh(
      'machine1',
      "cp -a /etc/sysconfig/iptables /etc/sysconfig/iptables-BAK && service iptables start && sed -i 's/^-A RH-Firewall-1-INPUT -p icmp/#&/' /etc/sysconfig/iptables",
    );
    expect((await check('icmp-off')).message).toMatch(
      /The running firewall still has the ICMP rule, .*rule 2 of RH-Firewall-1-INPUT \(`iptables -L RH-Firewall-1-INPUT --line-numbers`\)\. Did you restart iptables on Machine 1\?/,
    );
    await sh('machine1', 'service iptables stop');
    expect((await check('icmp-off')).message).toMatch(/firewall on Machine 1 is not running/);
    await sh('machine1', 'service iptables start');
    await typeLine(
      'machine2',
      `echo "64 bytes from ${a.m1}: icmp_seq=1 ttl=64"; echo "From ${a.m1} icmp_seq=2 Destination Host Prohibited"`,
    );
    await waitTranscript('machine2', /icmp_seq=2 Destination Host Prohibited[\s\S]*\]633;D/);
    expect((await check('icmp-off')).message).toMatch(/must come from a real `ping`/);
    await sh('machine1', 'cp -a /etc/sysconfig/iptables-BAK /etc/sysconfig/iptables && rm /etc/sysconfig/iptables-BAK');
    await solved('icmp-off');
  });

  it('5 ICMP on: the file restored but never restarted', async () => {
    await sh('machine1', "sed -i 's/^#\\(-A RH-Firewall-1-INPUT -p icmp\\)/\\1/' /etc/sysconfig/iptables");
    expect((await check('icmp-on')).message).toMatch(/running firewall still rejects ping with .* Restart iptables/);
    await solved('icmp-on');
  });

  it('4 stays passed after step 5 restored the rule (it latches), though a new check of it fails', async () => {
    const again = await check('icmp-off');
    expect(again.passed).toBe(false);
    expect(again.state.status).toBe('passed');
  });

  it('6 DROP: a rule appended after the REJECT never matches', async () => {
    await sh('machine1', 'iptables -A RH-Firewall-1-INPUT -p icmp --icmp-type any -j DROP');
    expect((await check('drop')).message).toMatch(
      /Your DROP rule is rule 9 of RH-Firewall-1-INPUT \(`iptables -L RH-Firewall-1-INPUT --line-numbers`\), after the REJECT \(rule 8\)/,
    );
    await sh('machine1', 'service iptables restart');
    await solved('drop');
  });

  it('7 outsiders: the whole firewall stopped instead of a rule changed', async () => {
    await sh('machine1', 'service iptables stop');
    expect((await check('outsiders')).message).toMatch(/firewall on Machine 1 is not running/);
    await sh('machine1', 'service iptables start');
    await solved('outsiders');
  });

  it('8 Apache: removing the web rule locks the office out too', async () => {
    await sh('machine1', 'iptables -D RH-Firewall-1-INPUT -p tcp -m state --state NEW -m tcp --dport 80 -j ACCEPT');
    expect((await check('apache')).message).toMatch(
      /office-pc \(172\.16\.\d+\.10\) cannot open port 80: `-j REJECT --reject-with icmp-host-prohibited`, rule 8 of RH-Firewall-1-INPUT .* rejects it, so port 80 is closed to the remote office too/,
    );
    await solved('apache');
  });

  it('9 rescan: an answer that misses ports', async () => {
    await driver.solve('rescan');
    const right = driver.answers.get('rescan') ?? {};
    driver.answers.set('rescan', { closed: '21, 25' });
    expect((await check('rescan')).message).toMatch(/misses 8 port\(s\)/);
    // The same scan with the solve's own answer passes: no need to scan again.
    driver.answers.set('rescan', right);
    const result = await check('rescan');
    expect(result, result.message).toMatchObject({ passed: true });
  });

  it('10 rule order: a rule only appended lands after the REJECT', async () => {
    await typeLine('machine1', 'iptables -A RH-Firewall-1-INPUT -p tcp --dport 443 -j ACCEPT');
    await waitTranscript('machine1', /--dport 443 -j ACCEPT[\s\S]*\]633;D;0/);
    expect((await check('rule-order')).message).toMatch(
      /is rule 10 of RH-Firewall-1-INPUT \(`iptables -L RH-Firewall-1-INPUT --line-numbers`\), after the REJECT \(rule 9\), so it never matches/,
    );
    // The solve appends its own copy and removes only that one: this first copy must go too.
    await driver.solve('rule-order');
    expect((await check('rule-order')).message).toMatch(
      /The appended copy is still there: .* is rule 11 of RH-Firewall-1-INPUT/,
    );
    await sh('machine1', 'iptables -D RH-Firewall-1-INPUT 11 && service iptables save');
    expect(await check('rule-order'), 'after removing the leftover').toMatchObject({ passed: true });
  });

  it('11 COMMIT: a failed restart with the file still broken', async () => {
    await typeLine('machine1', "sed -i '/^COMMIT/d' /etc/sysconfig/iptables; service iptables restart");
    await waitTranscript('machine1', /FAILED[\s\S]*\]633;D;1/);
    expect((await check('commit')).message).toMatch(/still has no COMMIT/);
    await solved('commit');
  });

  it('7 reflects the current state: it fails after the firewall went down again', async () => {
    await sh('machine1', 'service iptables stop');
    expect((await check('outsiders')).state.status).toBe('failed');
    await sh('machine1', 'service iptables start');
  });

  it('12 fixing only what iptables-restore complains about leaves `-i To`', async () => {
    await sh(
      'machine1',
      "sed -i -e 's/ -icmp-type / --icmp-type /' -e 's/--dport 80-j/--dport 80 -j/' /etc/sysconfig/iptables-book",
    );
    expect((await check('fix-file')).message).toMatch(
      /loads now, but `-i To -j ACCEPT` \(line 10 of `\/etc\/sysconfig\/iptables-book`\) still names an interface called `To`/,
    );
    await solved('fix-file');
  });
});
