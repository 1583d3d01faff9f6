import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTENDED_RULES } from '../../labs/iptables-single-server/bookFiles';
import type { GradingEngine } from '../../server/grading/GradingEngine';
import type { LabDriver } from '../../server/grading/selfTest';
import { engineCheck, singleServerDriver, type MachineShell } from '../support/labDriver';
import { learnerTerminal } from '../support/learnerTerminal';
import { fake, writeFile } from '../support/learnerForgeries';

/**
 * Grading a root learner cannot fool, and a fair instructor agrees with. One lab, steps in order:
 * for each class of mistake, the forged or wrong attempt fails with a message that says why, and a
 * correct variant other than the solve passes. (Fakes of the machines' own tools: fakeTools.test.ts.)
 */
let driver: LabDriver;
let engine: GradingEngine;
let sh: MachineShell;
let terminal: ReturnType<typeof learnerTerminal>;
let id = '';
let a: { m1: string; m1Office: string };

const CHAIN = 'RH-Firewall-1-INPUT';
const RULES = '/etc/sysconfig/iptables';
const check = (stepId: string) => engineCheck(engine, driver, id, stepId);
const solved = async (stepId: string) => {
  await driver.solve(stepId);
  const result = await check(stepId);
  expect(result, result.message).toMatchObject({ passed: true });
};

beforeAll(async () => {
  ({ driver, engine, id, sh } = await singleServerDriver('labtrust'));
  terminal = learnerTerminal(driver);
  const addr = (m: string, n: string) => driver.deployment.machines.find((x) => x.id === m)?.addresses[n] ?? '';
  a = { m1: addr('machine1', 'lan'), m1Office: addr('machine1', 'office') };
});
afterAll(async () => {
  await driver.close();
});

describe('each class of mistake, and the right variants', () => {
  it('1 tour', async () => {
    await solved('tour');
  });

  it('2 backup: a copy taken after editing is not a backup of the original; `.bak` is refused with the exact name', async () => {
    await sh(
      'machine1',
      `cp -a ${RULES} /root/orig && sed -i 's/--dport 22 /--dport 2222 /' ${RULES} && cp -a ${RULES} ${RULES}-$(date +%Y-%m-%d)_BAK`,
    );
    expect((await check('backup')).message).toMatch(
      /as it is \*now\*, but that file has been changed since the lab started/,
    );
    await sh(
      'machine1',
      `cp -a /root/orig ${RULES} && rm ${RULES}-*_BAK && cp -a ${RULES} ${RULES}-$(date +%Y-%m-%d).bak`,
    );
    expect((await check('backup')).message).toMatch(
      /I see `\/etc\/sysconfig\/iptables-\d{4}-\d\d-\d\d\.bak`, but this step looks for exactly `\/etc\/sysconfig\/iptables-\d{4}-\d\d-\d\d_BAK`/,
    );
    await solved('backup');
  });

  it('3 baseline scan: a scan file edited with sed is caught by the kernel counters; `nmap -oN` output is accepted', async () => {
    await sh('machine2', `nmap ${a.m1} > /root/first-scan.txt`);
    const extra = [21, 25, 53, 79, 110, 143, 443, 515, 993, 995].map((p) => `${p}/tcp open  x`).join('\\n');
    await sh(
      'machine2',
      `sed -i -e 's/^Not shown: .*/Not shown: 988 closed tcp ports (reset)/' -e 's|^22/tcp .*|&\\n${extra}|' /root/first-scan.txt`,
    );
    expect((await check('baseline-scan')).message).toMatch(
      /kernel has sent only \d+ TCP resets since it started.*: no scan with the firewall stopped produced this file/,
    );
    await sh('machine1', 'service iptables stop');
    await sh('machine2', `cd /root && rm first-scan.txt && nmap -oN first-scan.txt ${a.m1} > /dev/null`);
    const result = await check('baseline-scan');
    expect(result, result.message).toMatchObject({ passed: true });
  });

  it('4 ICMP off: a fake ping printing the transition fails; a real one watched from office-pc passes (policy)', async () => {
    await sh(
      'machine1',
      `cp -a ${RULES} ${RULES}-BAK && service iptables start && sed -i 's/^-A ${CHAIN} -p icmp/#&/' ${RULES} && service iptables restart`,
    );
    const forged = [1, 2]
      .map((s) => `64 bytes from ${a.m1}: icmp_seq=${s} ttl=64 time=0.1 ms`)
      .concat([3, 4].map((s) => `From ${a.m1} icmp_seq=${s} Destination Host Prohibited`));
    await sh('machine2', fake('/usr/local/bin/ping', forged.join('\n')));
    await terminal.run('machine2', `ping ${a.m1}`);
    expect((await check('icmp-off')).message).toMatch(
      /Machine 2's kernel has sent only \d+ echo requests since it started: that output did not come from a real ping/,
    );
    await sh('machine2', 'rm /usr/local/bin/ping');
    await terminal.run('machine2', 'hash -r');
    await sh(
      'machine1',
      `sed -i 's/^#\\(-A ${CHAIN} -p icmp\\)/\\1/' ${RULES} && service iptables restart && sed -i 's/^-A ${CHAIN} -p icmp/#&/' ${RULES}`,
    );
    const since = terminal.plain('office-pc').length;
    await driver.terminals.type('office-pc', `ping ${a.m1Office}\r`);
    await terminal.waitFor('office-pc', /bytes from[\s\S]*bytes from/, since);
    await sh('machine1', 'service iptables restart');
    await terminal.waitFor('office-pc', /Destination Host Prohibited[\s\S]*Destination Host Prohibited/, since);
    await driver.terminals.type('office-pc', '\x03');
    await terminal.waitFor('office-pc', /packet loss/, since);
    const result = await check('icmp-off');
    expect(result, result.message).toMatchObject({ passed: true });
    expect(result.message).toMatch(/on office-pc/);
  });

  it('5 ICMP on: state alone, echoed replies, a ping function and a fake ping binary all fail; a watched ping passes', async () => {
    await sh('machine1', `sed -i 's/^#\\(-A ${CHAIN} -p icmp\\)/\\1/' ${RULES} && service iptables restart`);
    expect((await check('icmp-on')).message).toMatch(/accepts ping again. Now watch it/);
    await terminal.run('machine2', `echo "64 bytes from ${a.m1}: icmp_seq=1 ttl=64 time=0.1 ms"`);
    await terminal.run(
      'machine2',
      `ping() { echo "64 bytes from ${a.m1}: icmp_seq=1 ttl=64 time=0.1 ms"; }; ping ${a.m1}`,
    );
    expect((await check('icmp-on')).message).toMatch(/Now watch it/);
    await terminal.run('machine2', 'unset -f ping');
    await sh(
      'machine2',
      fake(
        '/usr/local/bin/ping',
        [1, 2, 3].map((s) => `64 bytes from ${a.m1}: icmp_seq=${s} ttl=64 time=0.1 ms`).join('\n'),
      ),
    );
    await terminal.run('machine2', `ping -c 3 ${a.m1}`);
    expect((await check('icmp-on')).message).toMatch(
      /shows 3 replies, but Machine 1's ICMP rule has accepted only 0 packets/,
    );
    await sh('machine2', 'rm /usr/local/bin/ping');
    await terminal.run('machine2', 'hash -r');
    await solved('icmp-on');
  });

  it('6-8 as solved', async () => {
    await solved('drop');
    await solved('outsiders');
    await solved('apache');
  });

  it('9 rescan: a scan file the firewall never saw fails; answers quoting service names are read as ports', async () => {
    const forged = [
      `Starting Nmap 7.93 ( https://nmap.org ) at 2026-01-01 10:00 UTC`,
      `Nmap scan report for ${a.m1Office}`,
      'Not shown: 998 filtered tcp ports (host-prohibited)',
      'PORT   STATE SERVICE',
      '22/tcp open  ssh',
      '80/tcp open  http',
      'Nmap done: 1 IP address (1 host up) scanned in 5.00 seconds',
    ].join('\n');
    await sh('machine1', 'service iptables restart');
    await sh('office-pc', writeFile('/root/second-scan.txt', `${forged}\n`));
    driver.answers.set('rescan', { closed: '21' });
    expect((await check('rescan')).message).toMatch(
      /says 998 ports were filtered, but Machine 1's REJECT rule has counted only \d+ packets/,
    );
    await driver.solve('rescan');
    driver.answers.set('rescan', { closed: '22, 21, 25' });
    expect((await check('rescan')).message).toMatch(
      /Your answer lists 22, which `\/root\/second-scan.txt` still shows open/,
    );
    driver.answers.set('rescan', {
      closed:
        '21/tcp (ftp), smtp, domain, finger, 110/tcp (pop3), imap, https, printer, 993/tcp (imaps), 995/tcp (pop3s)',
    });
    const result = await check('rescan');
    expect(result, result.message).toMatchObject({ passed: true });
  });

  it('10 rule order: a shadowing function, a different inserted rule and a leftover copy each get their own message', async () => {
    await terminal.run('machine1', 'iptables() { :; }');
    await terminal.run('machine1', `iptables -A ${CHAIN} -p tcp --dport 443 -j ACCEPT`);
    expect((await check('rule-order')).message).toMatch(/`iptables` is a shell function or alias.*unset -f iptables/);
    await terminal.run('machine1', 'unset -f iptables');
    await terminal.run('machine1', `iptables -A ${CHAIN} -p tcp --dport 443 -j ACCEPT`);
    const rejectNo = Number(/^(\d+)\s+REJECT/m.exec(await sh('machine1', `iptables -L ${CHAIN} --line-numbers`))?.[1]);
    await terminal.run(
      'machine1',
      `iptables -I ${CHAIN} ${rejectNo} -m state --state NEW -p tcp --dport 443 -j ACCEPT`,
    );
    expect((await check('rule-order')).message).toMatch(
      /You inserted `.*--state NEW.*--dport 443.*`, but the rule you appended was `-p tcp .*--dport 443 -j ACCEPT`/,
    );
    await terminal.run('machine1', `iptables -D ${CHAIN} ${rejectNo}`);
    await terminal.run('machine1', `iptables -I ${CHAIN} ${rejectNo} -p tcp --dport 443 -j ACCEPT`);
    await terminal.run('machine1', 'service iptables save');
    expect((await check('rule-order')).message).toMatch(
      new RegExp(
        `The appended copy is still there: .* is rule ${rejectNo + 2} of ${CHAIN} \\(\`iptables -L ${CHAIN} --line-numbers\`\\), after the REJECT`,
      ),
    );
    await terminal.run('machine1', `iptables -D ${CHAIN} ${rejectNo + 2}`);
    expect((await check('rule-order')).message).toMatch(
      /running firewall is clean, but line \d+ of `\/etc\/sysconfig\/iptables` still holds/,
    );
    await terminal.run('machine1', 'service iptables save');
    const result = await check('rule-order');
    expect(result, result.message).toMatchObject({ passed: true });
  });

  it('11 COMMIT: an echoed [FAILED] fails; /etc/init.d/iptables restart is as good as service', async () => {
    await terminal.run('machine1', "service iptables restart && echo '[FAILED]'");
    expect((await check('commit')).message).toMatch(
      /printed FAILED, but the restart itself succeeded \(exit status 0\)/,
    );
    await terminal.run('machine1', `sed -i '/^COMMIT/d' ${RULES}`);
    await terminal.run('machine1', '/etc/init.d/iptables restart');
    await terminal.run('machine1', `echo COMMIT >> ${RULES}`);
    await terminal.run('machine1', '/etc/init.d/iptables restart');
    const result = await check('commit');
    expect(result, result.message).toMatchObject({ passed: true });
  });

  it('12 fix file: `-i eth0` and a removed `-i` each get their own message; a copy of changed rules is refused, the intended file passes', async () => {
    const book = '/etc/sysconfig/iptables-book';
    await sh(
      'machine1',
      `sed -i -e 's/ -icmp-type / --icmp-type /' -e 's/--dport 80-j/--dport 80 -j/' -e 's/-i To /-i eth0 /' ${book}`,
    );
    expect((await check('fix-file')).message).toMatch(
      /line 10 of `\/etc\/sysconfig\/iptables-book`\) accepts everything arriving on `eth0`/,
    );
    await sh('machine1', `sed -i 's/-i eth0 //' ${book}`);
    expect((await check('fix-file')).message).toMatch(/accepts every packet from anywhere: it lost its interface/);
    await sh('machine1', `cp ${RULES} ${book}`);
    expect((await check('fix-file')).message).toMatch(/a copy of your own, changed rules file will not match the book/);
    await sh('machine1', writeFile(book, INTENDED_RULES));
    const result = await check('fix-file');
    expect(result, result.message).toMatchObject({ passed: true });
  });
});
