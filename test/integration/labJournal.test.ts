import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionListMachines } from '../../labkit/types';
import { singleServerLab } from '../../labs/iptables-single-server';
import { CHAPTER_PORTS } from '../../labs/iptables-single-server/ports';
import { checkContext } from '../../server/grading/contexts';
import type { GradingEngine } from '../../server/grading/GradingEngine';
import type { LabDriver } from '../../server/grading/selfTest';
import type { Journal } from '../../server/journal/Journal';
import type { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { engineCheck, singleServerDriver, type MachineShell } from '../support/labDriver';
import { learnerTerminal } from '../support/learnerTerminal';

/**
 * Observation steps graded from the lab journal: what crossed the lab's bridges and how Machine 1's
 * running rules changed, recorded by the host. Forged terminal output, raw packets from a client
 * and a sleep between doing and checking each get the verdict the journal supports.
 */
let driver: LabDriver;
let engine: GradingEngine;
let runtime: DockerRuntime;
let journal: Journal;
let sh: MachineShell;
let terminal: ReturnType<typeof learnerTerminal>;
let id = '';
let m1 = '';

const CHAIN = 'RH-Firewall-1-INPUT';
const RULES = '/etc/sysconfig/iptables';
const check = (stepId: string) => engineCheck(engine, driver, id, stepId);
/** What bash's shell integration would print around a command, typed out by hand. */
const osc = (body: string) => `\\033]633;${body}\\007`;

beforeAll(async () => {
  const started = await singleServerDriver('journal', { journal: true });
  ({ driver, engine, id, runtime, sh } = started);
  terminal = learnerTerminal(driver);
  if (!started.journal) throw new Error('no journal');
  journal = started.journal;
  m1 = driver.deployment.machines.find((m) => m.id === 'machine1')?.addresses.lan ?? '';
}, 240_000);
afterAll(async () => {
  await driver.close();
});

describe('scans are compared port by port with the scans the host saw', () => {
  const scanCheck = () => check('baseline-scan');

  it('a file typed by hand, with one real connection to ssh behind it, is no scan', async () => {
    await sh('machine1', 'service iptables stop');
    const ports = CHAPTER_PORTS.map((p) => `${p}/tcp open  unknown`).join('\\n');
    await sh(
      'machine2',
      `cd /root && printf 'Starting Nmap 7.93 ( https://nmap.org )\\nNmap scan report for ${m1}\\nHost is up.\\nPORT STATE SERVICE\\n${ports}\\n\\nNmap done: 1 IP address (1 host up) scanned in 0.20 seconds\\n' > first-scan.txt && ` +
        `timeout 5 bash -c 'echo > /dev/tcp/${m1}/22'`,
    );
    const result = await scanCheck();
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/accounts for 12 ports, but that scan probed only 1 port/);
  });

  it("a real scan with the firewall stopped passes, citing the host's view of it", async () => {
    await sh('machine2', `cd /root && nmap ${m1} > first-scan.txt`);
    const result = await scanCheck();
    expect(result.message).toMatch(/all 12 services/);
    expect(result.message).toMatch(/the host saw Machine 2's scan at \d\d:\d\d:\d\d: \d+ ports probed/);
  });

  it('a file edited to show a port the target never opened fails, naming the port', async () => {
    await sh('machine2', `cd /root && sed -i 's|^22/tcp .*|&\\n8080/tcp open  http-proxy|' first-scan.txt`);
    const result = await scanCheck();
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/8080/);
    expect(result.message).toMatch(/never accepted a connection/);
  });

  it("raw packets forged on Machine 2 in Machine 1's name during the scan do not back an edited file: the host names a packet by the bridge port it entered by", async () => {
    // During a real scan, Machine 2 (root, NET_RAW) forges Machine 1's "open" answer for 8080 and
    // sends the SYNs such a port would get, then the file is edited to match.
    const forge = `nping --tcp -c 5 --delay 200ms --flags syn,ack -S ${m1} -g 8080 -p 45000 ${m1}`;
    const probe = `nping --tcp -c 5 --delay 200ms --flags syn -p 8080 ${m1}`;
    const forged = await sh(
      'machine2',
      `cd /root && (nmap ${m1} > first-scan.txt &) ; ${forge} >/dev/null; ${probe} >/dev/null; while pgrep -x nmap >/dev/null; do sleep 0.2; done; ` +
        `sed -i 's|^22/tcp .*|&\\n8080/tcp open  http-proxy|' first-scan.txt; grep -c '^8080/tcp open' first-scan.txt`,
    );
    expect(forged.trim()).toBe('1');
    const result = await scanCheck();
    // The forgery did cross the bridge, carrying Machine 1's address: the host named its sender.
    const forgeries = journal
      .events(id)
      .filter((e) => e.kind === 'packet' && e.src === m1 && e.tcp?.sport === 8080 && e.tcp.flags === 'SYN-ACK');
    expect(forgeries.length).toBeGreaterThan(0);
    expect(forgeries.every((e) => e.kind === 'packet' && e.from === 'machine2')).toBe(true);
    expect(result.passed).toBe(false);
    expect(result.message).toMatch(/8080/);
    expect(result.message).toMatch(/never accepted a connection/);
  });

  afterAll(async () => {
    await sh('machine1', 'service iptables start');
  });
});

describe('step 4 is graded from what the host saw', () => {
  it('forged shell-integration markers and a redefined ping print the transition, and the host saw no such ping', async () => {
    await sh(
      'machine1',
      `cp -a ${RULES} ${RULES}-BAK && service iptables start && sed -i 's/^-A ${CHAIN} -p icmp/#&/' ${RULES} && service iptables restart`,
    );
    const lines = [
      `64 bytes from ${m1}: icmp_seq=1 ttl=64 time=0.1 ms`,
      `64 bytes from ${m1}: icmp_seq=2 ttl=64 time=0.1 ms`,
      `From ${m1} icmp_seq=3 Destination Host Prohibited`,
      `From ${m1} icmp_seq=4 Destination Host Prohibited`,
    ].join('\\n');
    // The escape sequences bash's integration prints, forged with printf: a "ping" that never ran.
    await terminal.run('machine2', `printf '${osc(`E;ping ${m1}`)}${osc('C')}${lines}\\n${osc('D;0')}'`);
    // And a shell function named ping that prints the same.
    await terminal.run('machine2', `ping() { printf '${lines}\\n'; }; ping ${m1}; unset -f ping`);
    const result = await check('icmp-off');
    expect(result, result.message).toMatchObject({ passed: false });
    expect(result.message).toMatch(/The host has seen no ping from Machine 2/);
  });

  it('a real ping across the restart passes, citing the ICMP id and the recorded ruleset change', async () => {
    await sh(
      'machine1',
      `sed -i 's/^#\\(-A ${CHAIN} -p icmp\\)/\\1/' ${RULES} && service iptables restart && sed -i 's/^-A ${CHAIN} -p icmp/#&/' ${RULES}`,
    );
    const since = terminal.plain('machine2').length;
    await driver.terminals.type('machine2', `ping -i 0.3 ${m1}\r`);
    await terminal.waitFor('machine2', /bytes from[\s\S]*bytes from/, since);
    await sh('machine1', 'service iptables restart');
    await terminal.waitFor('machine2', /Destination Host Prohibited[\s\S]*Destination Host Prohibited/, since);
    await driver.terminals.type('machine2', '\x03');
    await terminal.waitFor('machine2', /packet loss/, since);
    const result = await check('icmp-off');
    expect(result, result.message).toMatchObject({ passed: true });
    expect(result.message).toMatch(/The host saw it on the network: Machine 2's ping \(ICMP id \d+\) got \d+ replies/);
    expect(result.message).toMatch(/Machine 1's running rules changed/);
    expect(result.message).toMatch(/rejected as host-prohibited/);
  });

  it('a sleep and wake between doing and checking changes nothing: the evidence before the sleep stays valid', async () => {
    await runtime.sleep(driver.deployment);
    const woken = await runtime.wake(driver.deployment, singleServerLab.topology);
    await journal.track(id, woken);
    const step = singleServerLab.steps.find((s) => s.id === 'icmp-off');
    const result = await step?.check(
      checkContext(runtime, woken, { terminals: driver.terminals, journal: journal.readerFor(id, woken) }),
    );
    expect(result, result?.message).toMatchObject({ passed: true });
    expect(result?.message).toMatch(/The host saw it on the network/);
    // The scan of step 3 was seen before the sleep, and counts after it.
    await sh('machine2', `cd /root && sed -i '/^8080\\/tcp/d' first-scan.txt`);
    const scan = await singleServerLab.steps
      .find((s) => s.id === 'baseline-scan')
      ?.check(checkContext(runtime, woken, { terminals: driver.terminals, journal: journal.readerFor(id, woken) }));
    expect(scan, scan?.message).toMatchObject({ passed: true });
    driver.deployment.machines.splice(0, driver.deployment.machines.length, ...woken.machines);
  });
});

describe('the journal itself', () => {
  it('takes no connection list at a ruleset change: no step of this lab reads one', () => {
    expect(connectionListMachines(singleServerLab)).toEqual([]);
    const events = journal.events(id);
    // Restarts the host saw begin (the rule monitor's moment), yet no host `ss` run for them.
    const seenBegin = events.filter((e) => e.kind === 'ruleset' && e.machineId === 'machine1' && e.changedAt);
    expect(seenBegin.length).toBeGreaterThan(0);
    expect(events.filter((e) => e.kind === 'connectionList')).toEqual([]);
  });

  it('records the ruleset change, the packets, the checks, the console input and the learner-reported commands of this session', async () => {
    const events = journal.events(id);
    const kinds = new Set(events.map((e) => e.kind));
    // Besides, only the host's own notes: on a quiet host a scan can pass the per-lab packet rate.
    const notes = events.filter((e) => e.kind === 'note');
    expect(notes.every((n) => n.kind === 'note' && /packets not recorded/.test(n.text))).toBe(true);
    expect([...kinds].filter((k) => k !== 'note').sort()).toEqual([
      'check',
      'command',
      'file',
      'input',
      'packet',
      'ruleset',
    ]);
    // Console input is what the host's terminal bridge saw: byte counts per machine, never the keys.
    const inputs = events.filter((e) => e.kind === 'input');
    expect(inputs.every((i) => i.kind === 'input' && i.bytes > 0 && Object.keys(i).every((k) => k !== 'text'))).toBe(
      true,
    );
    const commands = events.filter((e) => e.kind === 'command');
    expect(commands.every((c) => c.kind === 'command' && c.source === 'learner')).toBe(true);
    const files = events.filter((e) => e.kind === 'file' && e.path === RULES);
    expect(files.length).toBeGreaterThan(0);
  });
});
