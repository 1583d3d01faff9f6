import { describe, expect, it } from 'vitest';
import type { JournalEvent, JournalKind, LabJournal } from '../../../labkit/journal';
import type { Lockout } from '../../../labs/iptables-more-rules/sshLockout';
import { lockouts, sessionCut } from '../../../labs/iptables-more-rules/sshLockout';
import { byHand } from '../../../labs/iptables-more-rules/steps/10-safeguard';

const M1 = '10.1.3.1';
const M2 = '10.1.3.2';
const ADDRS = { m1: M1, m2: M2 };

const chapterRules = (top: string[] = []): string =>
  [
    '*filter',
    ':INPUT ACCEPT',
    ':FORWARD ACCEPT',
    ':OUTPUT ACCEPT',
    ':RH-Firewall-1-INPUT -',
    '-A INPUT -j RH-Firewall-1-INPUT',
    ...top,
    '-A RH-Firewall-1-INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT',
    '-A RH-Firewall-1-INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT',
    '-A RH-Firewall-1-INPUT -j REJECT --reject-with icmp-host-prohibited',
    'COMMIT',
  ].join('\n');

const OPEN = chapterRules();
const CUT = chapterRules(['-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -j REJECT']);

const ruleset = (at: number, rules: string): JournalEvent => ({
  kind: 'ruleset',
  at,
  machineId: 'machine1',
  rules,
  hash: String(at),
  reloaded: false,
  firewall: 'running',
});
const synAck = (at: number): JournalEvent => ({
  kind: 'packet',
  at,
  from: 'machine1',
  src: M1,
  dst: M2,
  proto: 'tcp',
  tcp: { sport: 22, dport: 40000 + at, flags: 'SYN-ACK' },
});
const keys = (at: number, seq: number, machineId = 'machine1'): JournalEvent => ({
  kind: 'input',
  at,
  until: at + 400,
  machineId,
  bytes: 24,
  seq,
});
const forgedCommand = (at: number, commandLine: string): JournalEvent => ({
  kind: 'command',
  at,
  source: 'learner',
  machineId: 'machine1',
  commandLine,
  exitCode: 0,
  startedAt: at,
});
const check = (startedAt: number, at: number): JournalEvent => ({
  kind: 'check',
  at,
  startedAt,
  stepId: 'x',
  passed: false,
  message: '',
});

/** One of Machine 1's connections as the host's ss listed it. */
const conn = (peer: string, peerPort: number, localPort: number, bytesReceived: number, lastReceivedMs = 60_000) => ({
  local: M1,
  localPort,
  peer,
  peerPort,
  state: 'ESTAB',
  bytesReceived,
  bytesAcked: 0,
  lastReceivedMs,
});
/** The learner's ssh session from Machine 2, with what it had received so far. */
const sshSession = (bytes: number) => conn(M2, 40_000, 22, bytes, 100);
/** Machine 1's connection list, taken by the host over 50 ms ending at `at`. */
const connectionList = (at: number, connections: ReturnType<typeof conn>[] = [], more = 0): JournalEvent => ({
  kind: 'connectionList',
  at,
  startedAt: at - 50,
  machineId: 'machine1',
  connections,
  more,
});

function journalOf(events: JournalEvent[]): LabJournal {
  const events_ = (...kinds: JournalKind[]) => Promise.resolve(events.filter((e) => kinds.includes(e.kind)));
  return { events: events_ as LabJournal['events'] };
}

describe('lockouts seen in the journal', () => {
  it('finds a cut while the learner was logged in from Machine 2, its return, and the keys typed at Machine 1 between', async () => {
    const journal = journalOf([
      keys(500, 1),
      ruleset(0, OPEN),
      synAck(1_000),
      ruleset(2_000, CUT),
      keys(8_000, 2, 'machine2'),
      keys(9_000, 3),
      ruleset(9_500, OPEN),
    ]);
    const { loggedIn, found } = await lockouts(journal, ADDRS);
    expect(loggedIn).toBe(true);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      cutAt: 2_000,
      backAt: 9_500,
      typedUnknown: false,
      leaky: undefined,
      otherWay: undefined,
    });
    expect(found[0]?.typed.map((k) => k.at)).toEqual([9_000]);
    expect(byHand(found[0] as Lockout)).toMatch(/keys were typed at Machine 1's console at/);
  });

  it('sees a timed rollback as a return with no key typed at Machine 1 in between, whatever its shell reported', async () => {
    const journal = journalOf([
      synAck(1_000),
      ruleset(2_000, CUT),
      connectionList(2_100, [sshSession(3_000)]),
      forgedCommand(9_000, 'iptables -D RH-Firewall-1-INPUT 1'),
      ruleset(32_000, OPEN),
      // The frozen session's keystrokes arrive once the rules let them in: the cut refused them all along.
      connectionList(32_100, [sshSession(3_400)]),
    ]);
    const { found } = await lockouts(journal, ADDRS);
    expect(found).toEqual([
      {
        cutAt: 2_000,
        backAt: 32_000,
        typed: [],
        typedUnknown: false,
        leaky: undefined,
        otherWay: undefined,
        carried: undefined,
      },
    ]);
    expect(byHand(found[0] as Lockout)).toBeUndefined();
  });

  it('counts a burst that began before the cut and went on after it as typed during the cut', async () => {
    const journal = journalOf([synAck(1_000), keys(1_800, 1), ruleset(2_000, CUT), ruleset(32_000, OPEN)]);
    const { found } = await lockouts(journal, ADDRS);
    expect(found[0]?.typed).toHaveLength(1);
  });

  it('dates a cut and a return by when the host saw the change begin, not when it read the rules', async () => {
    const at = (e: JournalEvent, changedAt: number): JournalEvent => ({ ...e, changedAt }) as JournalEvent;
    const journal = journalOf([
      synAck(1_000),
      at(ruleset(3_000, CUT), 2_000),
      keys(2_500, 1),
      at(ruleset(33_000, OPEN), 32_000),
      keys(32_600, 2),
    ]);
    const { found } = await lockouts(journal, ADDRS);
    expect(found[0]).toMatchObject({ cutAt: 2_000, backAt: 32_000 });
    expect(found[0]?.typed.map((k) => k.at)).toEqual([2_500]);
  });

  it('cannot show silence when the journal dropped keystrokes from after the cut', async () => {
    const journal = journalOf([synAck(1_000), ruleset(2_000, CUT), keys(40_000, 5001), ruleset(32_000, OPEN)]);
    const { found } = await lockouts(journal, ADDRS);
    expect(found[0]?.typedUnknown).toBe(true);
    expect(byHand(found[0] as Lockout)).toMatch(/no longer holds every keystroke/);
  });

  it('will not credit a cut during which Machine 1 opened or accepted another connection, outside any check', async () => {
    const back = (from: string, src: string, dst: string, sport: number, at: number): JournalEvent => ({
      kind: 'packet',
      at,
      from,
      src,
      dst,
      proto: 'tcp',
      tcp: { sport, dport: 50_000, flags: 'SYN-ACK' },
    });
    const listening = journalOf([
      synAck(1_000),
      ruleset(2_000, CUT),
      back('machine1', M1, M2, 4444, 9_000),
      ruleset(32_000, OPEN),
    ]);
    const [accepted] = (await lockouts(listening, ADDRS)).found;
    expect(byHand(accepted as Lockout)).toMatch(/Machine 1 accepted a connection from 10\.1\.3\.2 to its port 4444/);
    const callingOut = journalOf([
      synAck(1_000),
      ruleset(2_000, CUT),
      back('machine2', M2, M1, 4444, 9_000),
      ruleset(32_000, OPEN),
    ]);
    const [called] = (await lockouts(callingOut, ADDRS)).found;
    expect(byHand(called as Lockout)).toMatch(/Machine 1 connected to 10\.1\.3\.2 port 4444/);
    const probed = journalOf([
      synAck(1_000),
      ruleset(2_000, CUT),
      connectionList(2_100),
      check(8_000, 10_000),
      back('machine1', M1, M2, 22, 9_000),
      ruleset(32_000, OPEN),
      connectionList(32_100),
    ]);
    expect(byHand((await lockouts(probed, ADDRS)).found[0] as Lockout)).toBeUndefined();
  });

  it('will not credit a cut that left the open ssh session through, however long it lasted', async () => {
    const syn = chapterRules([
      '-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 --tcp-flags FIN,SYN,RST,ACK SYN -j REJECT',
    ]);
    const journal = journalOf([synAck(1_000), ruleset(2_000, syn), ruleset(32_000, OPEN)]);
    const { found } = await lockouts(journal, ADDRS);
    expect(found[0]?.leaky?.at).toBe(2_000);
    expect(byHand(found[0] as Lockout)).toMatch(/not surely the session you already had open/);
  });

  it('does not count a cut when the only ssh connection from Machine 2 was a check probing port 22', async () => {
    const journal = journalOf([check(900, 1_200), synAck(1_000), ruleset(2_000, CUT), ruleset(5_000, OPEN)]);
    const { loggedIn, found } = await lockouts(journal, ADDRS);
    expect(loggedIn).toBe(false);
    expect(found).toEqual([]);
  });

  it('counts a login made just after a check ended as the learner’s', async () => {
    const journal = journalOf([check(900, 1_000), synAck(1_050), ruleset(2_000, CUT)]);
    const { found } = await lockouts(journal, ADDRS);
    expect(found).toEqual([
      {
        cutAt: 2_000,
        backAt: undefined,
        typed: [],
        typedUnknown: false,
        leaky: undefined,
        otherWay: undefined,
        carried: undefined,
      },
    ]);
  });

  it('counts a rule that refuses only new ssh connections as a cut, and a stopped firewall as open', async () => {
    const newOnly = chapterRules().replace('--dport 22 -j ACCEPT', '--dport 2222 -j ACCEPT');
    const stopped: JournalEvent = {
      ...(ruleset(6_000, '') as Extract<JournalEvent, { kind: 'ruleset' }>),
      firewall: 'stopped',
    };
    const { found } = await lockouts(journalOf([synAck(1_000), ruleset(2_000, newOnly), stopped]), ADDRS);
    expect(found).toMatchObject([{ cutAt: 2_000, backAt: 6_000, typed: [] }]);
    expect(found[0]?.leaky?.at).toBe(2_000);
  });
});

describe('connections already open when ssh was cut, counted from the host', () => {
  const PC = '172.16.3.10';
  /** A shell on Machine 1 that called office-pc before the cut: office-pc's side is port 4445. */
  const backDoor = (bytes: number, lastReceivedMs = 60_000) => ({
    ...conn(PC, 4445, 51_000, bytes, lastReceivedMs),
    local: '172.16.3.1',
  });
  const cutWith = (...events: JournalEvent[]) =>
    journalOf([synAck(1_000), ruleset(2_000, CUT), ...events, ruleset(32_000, OPEN)]);
  const verdictOf = async (journal: LabJournal) => byHand((await lockouts(journal, ADDRS)).found[0] as Lockout);

  it('refuses a back door opened before the cut that received bytes during it, naming both ends and the count', async () => {
    const journal = cutWith(
      connectionList(2_100, [sshSession(3_000), backDoor(120)]),
      connectionList(32_100, [backDoor(161, 9_000)]),
    );
    const [l] = (await lockouts(journal, ADDRS)).found;
    expect(l?.carried).toMatchObject({ kind: 'received', bytes: 41, at: 23_100 });
    expect(byHand(l as Lockout)).toMatch(
      /Machine 1's connection between 172\.16\.3\.1 port 51000 and 172\.16\.3\.10 port 4445 received 41 bytes from 172\.16\.3\.10 while ssh was cut \(00:00:02 to 00:00:32\), the last at 00:00:23/,
    );
  });

  it('sees data that came after the cut but before the host read the connections (the kernel dates the last data)', async () => {
    const journal = cutWith(
      connectionList(2_600, [backDoor(161, 200)]),
      connectionList(32_100, [backDoor(161, 30_000)]),
    );
    expect(await verdictOf(journal)).toMatch(/port 4445 received data from 172\.16\.3\.10 while ssh was cut/);
  });

  it('refuses a connection the cut left open that closed before the return: its bytes cannot be counted', async () => {
    const journal = cutWith(connectionList(2_100, [backDoor(120)]), connectionList(32_100, []));
    expect(await verdictOf(journal)).toMatch(
      /port 4445, which the cut left open, closed while ssh was cut \(00:00:02 to 00:00:32\) \(last seen at 00:00:02\)/,
    );
  });

  it('passes a connection that closed during the cut after its peer had closed its side before it', async () => {
    const journal = cutWith(
      connectionList(2_100, [{ ...backDoor(120), state: 'CLOSE-WAIT' }]),
      connectionList(32_100, []),
    );
    expect(await verdictOf(journal)).toBeUndefined();
  });

  it('passes an idle connection the cut left alone, and one the cut refused whatever it received later', async () => {
    const officeSsh = { ...conn(PC, 40_100, 22, 500), local: '172.16.3.1' };
    const journal = cutWith(
      connectionList(2_100, [sshSession(3_000), backDoor(120), officeSsh]),
      connectionList(32_100, [
        sshSession(3_900),
        backDoor(120),
        { ...officeSsh, bytesReceived: 900, lastReceivedMs: 10 },
      ]),
    );
    expect(await verdictOf(journal)).toBeUndefined();
  });

  it('counts a session on port 22 from elsewhere when the cut refused only Machine 2', async () => {
    const onlyM2 = chapterRules([`-A RH-Firewall-1-INPUT -s ${M2}/32 -p tcp -m tcp --dport 22 -j REJECT`]);
    const officeSsh = { ...conn(PC, 40_100, 22, 500), local: '172.16.3.1' };
    const journal = journalOf([
      synAck(1_000),
      ruleset(2_000, onlyM2),
      connectionList(2_100, [officeSsh]),
      ruleset(32_000, OPEN),
      connectionList(32_100, [{ ...officeSsh, bytesReceived: 530, lastReceivedMs: 12_000 }]),
    ]);
    expect(await verdictOf(journal)).toMatch(/port 22 and 172\.16\.3\.10 port 40100 received 30 bytes/);
  });

  it('leaves out a connection seen only while a check ran: its own probe', async () => {
    const journal = cutWith(check(1_900, 2_500), connectionList(2_100, [backDoor(0)]), connectionList(32_100, []));
    expect(await verdictOf(journal)).toBeUndefined();
  });

  it('cannot credit a cut or a return whose connections the host did not list, or listed only in part', async () => {
    expect(await verdictOf(cutWith(connectionList(32_100)))).toMatch(
      /no list of Machine 1's connections from the cut \(00:00:02\)/,
    );
    expect(await verdictOf(cutWith(connectionList(2_100)))).toMatch(
      /no list of Machine 1's connections from the return \(00:00:32\)/,
    );
    expect(await verdictOf(cutWith(connectionList(2_100, [], 3), connectionList(32_100)))).toMatch(
      /more TCP connections open than the host lists \(3 past its limit\)/,
    );
  });
});

describe('whether a ruleset surely cuts the ssh session already open from Machine 2', () => {
  const cuts = (top: string[]) =>
    sessionCut(ruleset(0, chapterRules(top)) as Extract<JournalEvent, { kind: 'ruleset' }>, ADDRS);

  it('holds for port 22 refused outright, by REJECT or DROP, from anywhere or from Machine 2', () => {
    expect(cuts(['-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -j REJECT'])).toBe(true);
    expect(cuts(['-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -j DROP'])).toBe(true);
    expect(
      cuts([
        `-A RH-Firewall-1-INPUT -s ${M2}/32 -d ${M1}/32 -p tcp -m tcp --dport 22 -j REJECT --reject-with tcp-reset`,
      ]),
    ).toBe(true);
  });

  it('does not hold for rules that refuse only new connections', () => {
    expect(cuts(['-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 --tcp-flags FIN,SYN,RST,ACK SYN -j REJECT'])).toBe(
      false,
    );
    expect(cuts(['-A RH-Firewall-1-INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j REJECT'])).toBe(false);
    expect(cuts(['-A RH-Firewall-1-INPUT -p tcp -m state --state NEW,ESTABLISHED -m tcp --dport 22 -j REJECT'])).toBe(
      false,
    );
    expect(cuts(['-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 --tcp-flags PSH NONE -j REJECT'])).toBe(false);
  });

  it('does not hold when the refusal rests on a condition the host cannot decide, or an exception it cannot rule out', () => {
    expect(
      cuts(['-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -m statistic --mode random --probability 0.9 -j REJECT']),
    ).toBe(false);
    expect(
      cuts([
        '-A RH-Firewall-1-INPUT -p tcp -m tcp --sport 40000:65535 --dport 22 -j ACCEPT',
        '-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -j REJECT',
      ]),
    ).toBe(false);
    expect(
      cuts([
        '-A RH-Firewall-1-INPUT -p tcp -m length --length 0:80 -m tcp --dport 22 -j ACCEPT',
        '-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -j REJECT',
      ]),
    ).toBe(false);
  });

  it('still holds with a logging rule the host cannot decide in front of the refusal', () => {
    expect(
      cuts([
        '-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -m limit --limit 5/min -j LOG',
        '-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -j REJECT',
      ]),
    ).toBe(true);
  });
});
