import { describe, expect, it } from 'vitest';
import type { JournalEvent, JournalPacket, JournalRuleset } from '../../../labkit/journal';
import { hostSaw } from '../../../server/journal/hostSaw';
import { buildTimeline } from '../../../server/journal/timeline';
import { momentAt } from '../../../protocol/timeline';
import { checkEvent, commandEvent, packetEvent, rulesetEvent } from '../../support/journalEvents';

const M1 = '10.1.1.1';
const M2 = '10.1.1.2';
const names = {
  machines: { machine1: 'Machine 1', machine2: 'Machine 2' },
  steps: { 'icmp-off': '4. Watch ping fail' },
};

const request = (at: number, seq: number, id = 77, probe = false): JournalPacket =>
  packetEvent({ at, from: 'machine2', src: M2, dst: M1, proto: 'icmp', icmp: { type: 8, code: 0, id, seq, probe } });
const reply = (at: number, seq: number, id = 77): JournalPacket =>
  packetEvent({ at, from: 'machine1', src: M1, dst: M2, proto: 'icmp', icmp: { type: 0, code: 0, id, seq } });
const prohibited = (at: number, seq: number, id = 77): JournalPacket =>
  packetEvent({
    at,
    from: 'machine1',
    src: M1,
    dst: M2,
    proto: 'icmp',
    icmp: { type: 3, code: 10, inner: { src: M2, dst: M1, proto: 'icmp', id, seq } },
  });
const RULES_BEFORE = [
  '*filter',
  ':INPUT ACCEPT',
  '-A RH-Firewall-1-INPUT -i lo -j ACCEPT',
  '-A RH-Firewall-1-INPUT -p icmp -m icmp --icmp-type any -j ACCEPT',
  '-A RH-Firewall-1-INPUT -j REJECT --reject-with icmp-host-prohibited',
  'COMMIT',
].join('\n');
const RULES_AFTER = RULES_BEFORE.split('\n')
  .filter((line) => !line.includes('-p icmp'))
  .join('\n');
const ruleset = (at: number, rules: string, reloaded = false): JournalRuleset =>
  rulesetEvent({ at, machineId: 'machine1', rules, reloaded });

/** Step 4 as it happens: ping answered, the ICMP rule commented out and the firewall restarted, then rejections. */
function stepFour(): JournalEvent[] {
  return [
    ruleset(500, RULES_BEFORE),
    commandEvent({ at: 9_000, startedAt: 1_000, machineId: 'machine2', commandLine: `ping ${M1}`, exitCode: 1 }),
    ...[1, 2, 3].flatMap((seq) => [request(1_000 + seq * 1000, seq), reply(1_001 + seq * 1000, seq)]),
    commandEvent({ at: 4_500, startedAt: 4_200, machineId: 'machine1', commandLine: 'service iptables restart' }),
    ruleset(4_600, RULES_AFTER, true),
    ...[4, 5, 6, 7].flatMap((seq) => [request(1_000 + seq * 1000, seq), prohibited(1_001 + seq * 1000, seq)]),
    checkEvent({
      at: 10_000,
      stepId: 'icmp-off',
      passed: true,
      message: 'The host saw it on the network.\nping id 77',
    }),
  ];
}

describe('the timeline of a lab session', () => {
  it('tells step 4 in the order it happened: replies, the ruleset change, then host-prohibited, then the check', () => {
    const { entries, omitted } = buildTimeline(stepFour(), names);
    expect(omitted).toBe(0);
    expect(entries.map((e) => `${e.kind}: ${e.text}`)).toEqual([
      "ruleset: Machine 1's firewall running: 3 rules loaded",
      `command: Machine 2: ping ${M1} (exit status 1)`,
      `packets: Machine 2 pinged Machine 1 (${M1}): 3 echo requests answered`,
      'command: Machine 1: service iptables restart',
      "ruleset: Machine 1's ruleset changed (reloaded): 1 rule removed",
      `packets: Machine 2 pinged Machine 1 (${M1}): 4 echo requests rejected as host-prohibited`,
      'check: Check of step 4. Watch ping fail: passed',
    ]);
    expect(entries[4]?.detail).toEqual(['− -A RH-Firewall-1-INPUT -p icmp -m icmp --icmp-type any -j ACCEPT']);
    expect(entries.find((e) => e.kind === 'command')?.source).toBe('learner');
    expect(entries.find((e) => e.kind === 'packets')?.source).toBe('host');
  });

  it('places a ruleset change when the host saw it begin, not when its read came back', () => {
    // On a busy host the read of the new rules lands after the first rejection; the change began before it.
    const events = stepFour().map((e) =>
      e.kind === 'ruleset' && e.reloaded ? { ...e, at: 6_500, changedAt: 4_300 } : e,
    );
    const { entries } = buildTimeline(events, names);
    expect(entries.map((e) => `${e.kind}: ${e.text}`)).toEqual([
      "ruleset: Machine 1's firewall running: 3 rules loaded",
      `command: Machine 2: ping ${M1} (exit status 1)`,
      `packets: Machine 2 pinged Machine 1 (${M1}): 3 echo requests answered`,
      'command: Machine 1: service iptables restart',
      "ruleset: Machine 1's ruleset changed (reloaded): 1 rule removed",
      `packets: Machine 2 pinged Machine 1 (${M1}): 4 echo requests rejected as host-prohibited`,
      'check: Check of step 4. Watch ping fail: passed',
    ]);
    const change = entries.find((e) => e.kind === 'ruleset' && e.text.includes('changed'));
    expect(change?.at).toBe(4_300);
    expect(change?.detail).toContain('The host saw the change begin here and read the new rules 2.2 s later.');
  });

  it('lists a command before the packets it sent, though the shell reported its start a little later', () => {
    const events = [
      commandEvent({ at: 5_000, startedAt: 1_300, machineId: 'machine2', commandLine: `ping ${M1}` }),
      ...[1, 2].flatMap((seq) => [request(1_000 + (seq - 1) * 1000, seq), reply(1_001 + (seq - 1) * 1000, seq)]),
    ];
    expect(buildTimeline(events, names).entries.map((e) => e.kind)).toEqual(['command', 'packets']);
  });

  it('says "answered, then rejected" in one line when no other event falls between', () => {
    const packets = [1, 2, 3].flatMap((seq) => [request(seq * 1000, seq), reply(seq * 1000 + 1, seq)]);
    packets.push(...[4, 5, 6, 7].flatMap((seq) => [request(seq * 1000, seq), prohibited(seq * 1000 + 1, seq)]));
    packets.push(request(8000, 8));
    const { entries } = buildTimeline(packets, names);
    expect(entries.map((e) => e.text)).toEqual([
      `Machine 2 pinged Machine 1 (${M1}): 3 echo requests answered, then 4 rejected as host-prohibited, then 1 unanswered`,
    ]);
    expect(entries[0]).toMatchObject({ at: 1000, until: 8000 });
  });

  it('keeps the check’s own pings apart from the learner’s', () => {
    const { entries } = buildTimeline(
      [request(1000, 1, 5, true), reply(1001, 1, 5), request(1500, 1), reply(1501, 1)],
      names,
    );
    expect(entries.map((e) => e.text)).toEqual([
      `The check's own ping from Machine 2 to Machine 1 (${M1}): 1 echo request answered`,
      `Machine 2 pinged Machine 1 (${M1}): 1 echo request answered`,
    ]);
  });

  it('summarises a scan port by port: open, closed and rejected, with the open ports named', () => {
    const scan: JournalPacket[] = [];
    for (let port = 1; port <= 1000; port++) {
      const at = 1000 + port;
      scan.push(
        packetEvent({
          at,
          from: 'machine2',
          src: M2,
          dst: M1,
          proto: 'tcp',
          tcp: { sport: 40000, dport: port, flags: 'SYN' },
        }),
      );
      if ([22, 80, 631].includes(port)) {
        scan.push(
          packetEvent({
            at,
            from: 'machine1',
            src: M1,
            dst: M2,
            proto: 'tcp',
            tcp: { sport: port, dport: 40000, flags: 'SYN-ACK' },
          }),
        );
        // The scanner's own reset of a half-open connection is not news.
        scan.push(
          packetEvent({
            at,
            from: 'machine2',
            src: M2,
            dst: M1,
            proto: 'tcp',
            tcp: { sport: 40000, dport: port, flags: 'RST' },
          }),
        );
      } else
        scan.push(
          packetEvent({
            at,
            from: 'machine1',
            src: M1,
            dst: M2,
            proto: 'icmp',
            icmp: { type: 3, code: 10, inner: { src: M2, dst: M1, proto: 'tcp', sport: 40000, dport: port } },
          }),
        );
    }
    const { entries } = buildTimeline(scan, names);
    expect(entries.map((e) => e.text)).toEqual([
      `Machine 2 scanned Machine 1 (${M1}): scan of 1000 ports: 3 open (22, 80, 631), 997 rejected as host-prohibited`,
    ]);
  });

  it('names a few connections port by port, and counts what answers nothing it saw', () => {
    const packets: JournalPacket[] = [
      packetEvent({
        at: 1,
        from: 'machine2',
        src: M2,
        dst: M1,
        proto: 'tcp',
        tcp: { sport: 5000, dport: 22, flags: 'SYN' },
      }),
      packetEvent({
        at: 2,
        from: 'machine1',
        src: M1,
        dst: M2,
        proto: 'tcp',
        tcp: { sport: 22, dport: 5000, flags: 'RST-ACK' },
      }),
      reply(3, 99),
    ];
    expect(buildTimeline(packets, names).entries.map((e) => e.text)).toEqual([
      `Machine 2 connected to Machine 1 (${M1}) over TCP: port 22 closed`,
      '1 other packet (answers to requests sent before the journal saw them, or stray ones)',
    ]);
  });

  it('reads at 200 events as about 200 lines, keeping the newest when over the limit', () => {
    const events: JournalEvent[] = Array.from({ length: 300 }, (_, i) => ({ kind: 'note', at: i, text: `note ${i}` }));
    const { entries, omitted } = buildTimeline(events, names, 200);
    expect(omitted).toBe(100);
    expect(entries[0]?.text).toBe('note 100');
    expect(entries).toHaveLength(200);
  });

  it('scrubbing to a moment gives each machine’s ruleset and each step’s verdict as of then', () => {
    const { entries } = buildTimeline(stepFour(), names);
    const before = momentAt(entries, 2);
    expect(before.rulesets).toHaveLength(1);
    expect(before.rulesets[0]?.rules).toContain('--icmp-type any');
    expect(before.checks).toEqual([]);
    const after = momentAt(entries, entries.length - 1);
    expect(after.rulesets[0]?.rules).not.toContain('--icmp-type any');
    expect(after.checks).toEqual([{ stepId: 'icmp-off', at: 10_000, passed: true }]);
  });
});

describe('what the host saw, for the learner', () => {
  it('gives the step’s latest check and the newest observations, without the rules dump', () => {
    const { entries } = buildTimeline(stepFour(), names);
    const saw = hostSaw(entries, 'icmp-off');
    expect(saw.lastCheck?.detail).toEqual(['The host saw it on the network.', 'ping id 77']);
    expect(saw.recent.map((e) => e.kind)).toEqual(['ruleset', 'packets', 'ruleset', 'packets']);
    expect(saw.recent.some((e) => e.rules !== undefined)).toBe(false);
    expect(hostSaw(entries, 'backup').lastCheck).toBeNull();
  });
});
