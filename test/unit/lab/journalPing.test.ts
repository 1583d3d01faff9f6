import { describe, expect, it } from 'vitest';
import type { JournalEvent, JournalKind, JournalPacket, LabJournal } from '../../../labkit/journal';
import type { CheckContext, LabView } from '../../../labkit/types';
import { icmpOnFromJournal } from '../../../labs/iptables-single-server/journalPing';
import { packetEvent, rulesetEvent } from '../../support/journalEvents';

const M1 = '10.1.1.1';
const M2 = '10.1.1.2';
const view: LabView = {
  address: (machineId) => ({ machine1: M1, machine2: M2, 'office-pc': '172.16.1.10' })[machineId] ?? '',
  subnet: (networkId) => (networkId === 'lan' ? '10.1.1.0/24' : '172.16.1.0/24'),
  param: () => '',
};
/** Only the view: the journal's verdict reads nothing else of the lab. */
const ctx = { view } as Pick<CheckContext, 'view'> as CheckContext;

const journalOf = (events: readonly JournalEvent[]): LabJournal => ({
  events: <K extends JournalKind>(...kinds: K[]) =>
    Promise.resolve(
      events.filter((e) => (kinds as JournalKind[]).includes(e.kind)) as Extract<JournalEvent, { kind: K }>[],
    ),
});

const WITH_ICMP = [
  '*filter',
  ':INPUT ACCEPT [0:0]',
  ':FORWARD ACCEPT [0:0]',
  ':OUTPUT ACCEPT [0:0]',
  ':RH-Firewall-1-INPUT - [0:0]',
  '-A INPUT -j RH-Firewall-1-INPUT',
  '-A RH-Firewall-1-INPUT -i lo -j ACCEPT',
  '-A RH-Firewall-1-INPUT -p icmp -m icmp --icmp-type any -j ACCEPT',
  '-A RH-Firewall-1-INPUT -j REJECT --reject-with icmp-host-prohibited',
  'COMMIT',
].join('\n');
const WITHOUT_ICMP = WITH_ICMP.split('\n')
  .filter((line) => !line.includes('-p icmp'))
  .join('\n');
const STOPPED = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', 'COMMIT'].join(
  '\n',
);

const m1Rules = (at: number, rules: string, changedAt?: number) =>
  rulesetEvent({
    at,
    machineId: 'machine1',
    rules,
    firewall: rules === STOPPED ? 'stopped' : 'running',
    ...(changedAt !== undefined && { changedAt }),
  });
const pingAnswered = (from: number, count: number): JournalPacket[] =>
  Array.from({ length: count }, (_, i) => [
    packetEvent({
      at: from + i * 300,
      from: 'machine2',
      src: M2,
      dst: M1,
      proto: 'icmp',
      icmp: { type: 8, code: 0, id: 9, seq: i + 1 },
    }),
    packetEvent({
      at: from + i * 300 + 1,
      from: 'machine1',
      src: M1,
      dst: M2,
      proto: 'icmp',
      icmp: { type: 0, code: 0, id: 9, seq: i + 1 },
    }),
  ]).flat();

describe('step 5 from the journal: ping answered once the ICMP rule is back', () => {
  it('passes replies that came after a restart loaded the rule again', async () => {
    const seen = await icmpOnFromJournal(
      ctx,
      journalOf([m1Rules(1_000, WITHOUT_ICMP), m1Rules(10_600, WITH_ICMP, 10_000), ...pingAnswered(12_000, 3)]),
    );
    expect(seen, seen.message).toMatchObject({ passed: true });
    expect(seen.message).toMatch(/3 echo requests from Machine 2 \(ICMP id 9\) answered/);
  });

  it('does not take replies to a stopped firewall for the rule put back', async () => {
    // The firewall stopped (every policy ACCEPT), the ping answered, and only then the rules loaded again.
    const seen = await icmpOnFromJournal(
      ctx,
      journalOf([
        m1Rules(1_000, WITHOUT_ICMP),
        m1Rules(5_300, STOPPED, 5_000),
        ...pingAnswered(6_000, 3),
        m1Rules(20_300, WITH_ICMP, 20_000),
      ]),
    );
    expect(seen, seen.message).toMatchObject({ passed: false });
    expect(seen.message).toMatch(/Now watch it/);
  });
});
