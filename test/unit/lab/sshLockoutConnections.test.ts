import { describe, expect, it } from 'vitest';
import type { JournalEvent, LabJournal } from '../../../labkit/journal';
import type { Lockout } from '../../../labs/iptables-more-rules/sshLockout';
import { lockouts } from '../../../labs/iptables-more-rules/sshLockout';
import { byHand } from '../../../labs/iptables-more-rules/steps/10-safeguard';
import {
  M2,
  ADDRS,
  OPEN,
  CUT,
  chapterRules,
  ruleset,
  synAck,
  check,
  conn,
  sshSession,
  sockets,
  journalOf,
} from './sshLockoutJournal';

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
      sockets(2_100, [sshSession(3_000), backDoor(120)]),
      sockets(32_100, [backDoor(161, 9_000)]),
    );
    const [l] = (await lockouts(journal, ADDRS)).found;
    expect(l?.carried).toMatchObject({ kind: 'received', bytes: 41, at: 23_100 });
    expect(byHand(l as Lockout)).toMatch(
      /Machine 1's connection between 172\.16\.3\.1 port 51000 and 172\.16\.3\.10 port 4445 received 41 bytes from 172\.16\.3\.10 while ssh was cut \(00:00:02 to 00:00:32\), the last at 00:00:23/,
    );
  });

  it('sees data that came after the cut but before the host read the connections (the kernel dates the last data)', async () => {
    const journal = cutWith(sockets(2_600, [backDoor(161, 200)]), sockets(32_100, [backDoor(161, 30_000)]));
    expect(await verdictOf(journal)).toMatch(/port 4445 received data from 172\.16\.3\.10 while ssh was cut/);
  });

  it('refuses a connection the cut left open that closed before the return: its bytes cannot be counted', async () => {
    const journal = cutWith(sockets(2_100, [backDoor(120)]), sockets(32_100, []));
    expect(await verdictOf(journal)).toMatch(
      /port 4445, which the cut left open, closed while ssh was cut \(00:00:02 to 00:00:32\) \(last seen at 00:00:02\)/,
    );
  });

  it('passes a connection that closed during the cut after its peer had closed its side before it', async () => {
    const journal = cutWith(sockets(2_100, [{ ...backDoor(120), state: 'CLOSE-WAIT' }]), sockets(32_100, []));
    expect(await verdictOf(journal)).toBeUndefined();
  });

  it('passes an idle connection the cut left alone, and one the cut refused whatever it received later', async () => {
    const officeSsh = { ...conn(PC, 40_100, 22, 500), local: '172.16.3.1' };
    const journal = cutWith(
      sockets(2_100, [sshSession(3_000), backDoor(120), officeSsh]),
      sockets(32_100, [sshSession(3_900), backDoor(120), { ...officeSsh, bytesReceived: 900, lastReceivedMs: 10 }]),
    );
    expect(await verdictOf(journal)).toBeUndefined();
  });

  it('counts a session on port 22 from elsewhere when the cut refused only Machine 2', async () => {
    const onlyM2 = chapterRules([`-A RH-Firewall-1-INPUT -s ${M2}/32 -p tcp -m tcp --dport 22 -j REJECT`]);
    const officeSsh = { ...conn(PC, 40_100, 22, 500), local: '172.16.3.1' };
    const journal = journalOf([
      synAck(1_000),
      ruleset(2_000, onlyM2),
      sockets(2_100, [officeSsh]),
      ruleset(32_000, OPEN),
      sockets(32_100, [{ ...officeSsh, bytesReceived: 530, lastReceivedMs: 12_000 }]),
    ]);
    expect(await verdictOf(journal)).toMatch(/port 22 and 172\.16\.3\.10 port 40100 received 30 bytes/);
  });

  it('leaves out a connection seen only while a check ran: its own probe', async () => {
    const journal = cutWith(check(1_900, 2_500), sockets(2_100, [backDoor(0)]), sockets(32_100, []));
    expect(await verdictOf(journal)).toBeUndefined();
  });

  it('cannot credit a cut or a return whose connections the host did not list, or listed only in part', async () => {
    expect(await verdictOf(cutWith(sockets(32_100)))).toMatch(
      /no list of Machine 1's connections from the cut \(00:00:02\)/,
    );
    expect(await verdictOf(cutWith(sockets(2_100)))).toMatch(
      /no list of Machine 1's connections from the return \(00:00:32\)/,
    );
    expect(await verdictOf(cutWith(sockets(2_100, [], 3), sockets(32_100)))).toMatch(
      /more TCP connections open than the host lists \(3 past its limit\)/,
    );
  });
});
