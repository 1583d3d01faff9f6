import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../../../labkit/journal';
import type { Lockout } from '../../../labs/iptables-more-rules/sshLockout';
import { lockouts } from '../../../labs/iptables-more-rules/sshLockout';
import { byHand } from '../../../labs/iptables-more-rules/steps/10-safeguard';
import {
  M1,
  M2,
  ADDRS,
  OPEN,
  CUT,
  chapterRules,
  ruleset,
  synAck,
  keys,
  forgedCommand,
  check,
  sshSession,
  sockets,
  journalOf,
} from './sshLockoutJournal';

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
      sockets(2_100, [sshSession(3_000)]),
      forgedCommand(9_000, 'iptables -D RH-Firewall-1-INPUT 1'),
      ruleset(32_000, OPEN),
      // The frozen session's keystrokes arrive once the rules let them in: the cut refused them all along.
      sockets(32_100, [sshSession(3_400)]),
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
      sockets(2_100),
      check(8_000, 10_000),
      back('machine1', M1, M2, 22, 9_000),
      ruleset(32_000, OPEN),
      sockets(32_100),
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
