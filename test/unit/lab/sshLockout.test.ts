import { describe, expect, it } from 'vitest';
import type { JournalEvent, JournalKind, LabJournal } from '../../../labkit/journal';
import { lockouts } from '../../../labs/iptables-more-rules/sshLockout';

const M1 = '10.1.3.1';
const M2 = '10.1.3.2';

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
const consoleCommand = (at: number, commandLine: string): JournalEvent => ({
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

function journalOf(events: JournalEvent[]): LabJournal {
  const events_ = (...kinds: JournalKind[]) => Promise.resolve(events.filter((e) => kinds.includes(e.kind)));
  return { events: events_ as LabJournal['events'] };
}

describe('lockouts seen in the journal', () => {
  it('finds a cut while the learner was logged in from Machine 2, its return, and the console commands between', async () => {
    const journal = journalOf([
      ruleset(0, OPEN),
      synAck(1_000),
      ruleset(2_000, CUT),
      consoleCommand(9_000, 'iptables -D RH-Firewall-1-INPUT 1'),
      ruleset(9_500, OPEN),
    ]);
    const { loggedIn, found } = await lockouts(journal, M2);
    expect(loggedIn).toBe(true);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ cutAt: 2_000, backAt: 9_500 });
    expect(found[0]?.console.map((c) => c.commandLine)).toEqual(['iptables -D RH-Firewall-1-INPUT 1']);
  });

  it('sees a timed rollback as a return with no console command in between', async () => {
    const journal = journalOf([synAck(1_000), ruleset(2_000, CUT), ruleset(32_000, OPEN)]);
    const { found } = await lockouts(journal, M2);
    expect(found).toEqual([{ cutAt: 2_000, backAt: 32_000, console: [] }]);
  });

  it('does not count a cut when the only ssh connection from Machine 2 was a check probing port 22', async () => {
    const journal = journalOf([check(900, 1_200), synAck(1_000), ruleset(2_000, CUT), ruleset(5_000, OPEN)]);
    const { loggedIn, found } = await lockouts(journal, M2);
    expect(loggedIn).toBe(false);
    expect(found).toEqual([]);
  });

  it('counts a login made just after a check ended as the learner’s', async () => {
    const journal = journalOf([check(900, 1_000), synAck(1_050), ruleset(2_000, CUT)]);
    const { found } = await lockouts(journal, M2);
    expect(found).toEqual([{ cutAt: 2_000, backAt: undefined, console: [] }]);
  });

  it('counts a rule that refuses only new ssh connections as a cut, and a stopped firewall as open', async () => {
    const newOnly = chapterRules().replace('--dport 22 -j ACCEPT', '--dport 2222 -j ACCEPT');
    const stopped: JournalEvent = {
      ...(ruleset(6_000, '') as Extract<JournalEvent, { kind: 'ruleset' }>),
      firewall: 'stopped',
    };
    const { found } = await lockouts(journalOf([synAck(1_000), ruleset(2_000, newOnly), stopped]), M2);
    expect(found).toEqual([{ cutAt: 2_000, backAt: 6_000, console: [] }]);
  });
});
