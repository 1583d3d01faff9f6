import { describe, expect, it } from 'vitest';
import type { JournalEvent, JournalKind, JournalPacket, LabJournal } from '../../../labkit/journal';
import { judgeScanFile, targetAddresses } from '../../../labs/iptables-single-server/journalScan';
import { parseNmap } from '../../../labs/iptables-single-server/nmapFile';
import { packetEvent } from '../../support/journalEvents';

const M1 = '10.1.1.1';
const M2 = '10.1.1.2';
/** The addresses a wake on another address slot gives the same machines. */
const M1_AFTER_WAKE = '10.1.2.1';

const journalOf = (events: readonly JournalEvent[]): LabJournal => ({
  events: <K extends JournalKind>(...kinds: K[]) =>
    Promise.resolve(
      events.filter((e) => (kinds as JournalKind[]).includes(e.kind)) as Extract<JournalEvent, { kind: K }>[],
    ),
});

/** A scan from Machine 2 of ports 1..100 as the host saw it: `open` answered SYN-ACK, the rest a reset. */
function scanSeen(open: readonly number[], target = M1): JournalPacket[] {
  const packets: JournalPacket[] = [];
  for (let port = 1; port <= 100; port++) {
    const at = 1_000 + port;
    packets.push(
      packetEvent({
        at,
        from: 'machine2',
        src: M2,
        dst: target,
        proto: 'tcp',
        tcp: { sport: 40000, dport: port, flags: 'SYN' },
      }),
    );
    packets.push(
      packetEvent({
        at,
        from: 'machine1',
        src: target,
        dst: M2,
        proto: 'tcp',
        tcp: { sport: port, dport: 40000, flags: open.includes(port) ? 'SYN-ACK' : 'RST-ACK' },
      }),
    );
  }
  return packets;
}

const file = (open: readonly number[], target = M1) =>
  parseNmap(
    '/root/first-scan.txt',
    [
      'Starting Nmap 7.93 ( https://nmap.org ) at 2026-12-05 09:00 UTC',
      `Nmap scan report for ${target}`,
      'Host is up (0.000050s latency).',
      `Not shown: ${100 - open.length} closed tcp ports (reset)`,
      'PORT   STATE SERVICE',
      ...open.map((p) => `${p}/tcp open  unknown`),
      '',
      'Nmap done: 1 IP address (1 host up) scanned in 0.21 seconds',
    ].join('\n'),
  );

const parties = (targetAddrs: readonly string[]) => ({
  scanner: 'machine2',
  scannerName: 'Machine 2',
  target: 'machine1',
  targetName: 'Machine 1',
  targetAddrs,
});

describe('a scan file is judged port by port against the scan the host saw', () => {
  it('passes the file of the scan the host saw', async () => {
    const judged = await judgeScanFile(
      journalOf(scanSeen([22, 80])),
      { file: file([22, 80]), parties: parties([M1]), summed: 'closed' },
      [22, 80],
    );
    expect(judged).toMatchObject({ ok: true });
  });

  it('refuses a port the target answered with a reset in that scan, even if something listens there now', async () => {
    // The file is edited to show 99 open, and a listener started on Machine 1 after the scan.
    const judged = await judgeScanFile(
      journalOf(scanSeen([22, 80])),
      { file: file([22, 80, 99]), parties: parties([M1]), summed: 'closed' },
      [22, 80, 99],
    );
    expect(judged).toMatchObject({ ok: false });
    expect(judged.ok ? '' : judged.problem).toMatch(/reports 99 open/);
  });

  it('still takes a listener for an open port whose answer the journal missed (a loaded host drops log messages)', async () => {
    const seen = scanSeen([22, 80]).filter((p) => !(p.tcp?.sport === 80 && p.tcp.flags === 'SYN-ACK'));
    const judged = await judgeScanFile(
      journalOf(seen),
      { file: file([22, 80]), parties: parties([M1]), summed: 'closed' },
      [22, 80],
    );
    expect(judged).toMatchObject({ ok: true });
  });
});

describe('a file written by hand is not backed by a few connections', () => {
  /** One connection to each of `ports` (nc -z by hand, or a check's own probes), answered open. */
  const connections = (ports: readonly number[]): JournalPacket[] =>
    ports.flatMap((port) => [
      packetEvent({
        at: port,
        from: 'machine2',
        src: M2,
        dst: M1,
        proto: 'tcp',
        tcp: { sport: 41000 + port, dport: port, flags: 'SYN' },
      }),
      packetEvent({
        at: port,
        from: 'machine1',
        src: M1,
        dst: M2,
        proto: 'tcp',
        tcp: { sport: port, dport: 41000 + port, flags: 'SYN-ACK' },
      }),
    ]);
  const TWELVE = [21, 22, 23, 25, 80, 110, 111, 143, 443, 631, 993, 995];
  /** A complete nmap run that lists only open ports, with no "Not shown" line. */
  const listing = (open: readonly number[]) => file(open).text.replace(/^Not shown:.*\n/m, '');

  it('refuses twelve open ports typed into a file, with one real connection to ssh behind them', async () => {
    const judged = await judgeScanFile(
      journalOf(connections([22])),
      { file: parseNmap('/root/first-scan.txt', listing(TWELVE)), parties: parties([M1]), summed: 'closed' },
      TWELVE,
    );
    expect(judged).toMatchObject({ ok: false });
    expect(judged.ok ? '' : judged.problem).toMatch(/probed only 1 port/);
  });

  it('refuses a two-port file backed only by connections to those two ports, when the step needs the services scanned', async () => {
    const judged = await judgeScanFile(
      journalOf(connections([22, 80])),
      {
        file: parseNmap('/root/second-scan.txt', listing([22, 80])),
        parties: parties([M1]),
        summed: 'filtered',
        covers: TWELVE,
      },
      TWELVE,
    );
    expect(judged).toMatchObject({ ok: false });
    expect(judged.ok ? '' : judged.problem).toMatch(/probed only 2 of the 12 ports/);
  });
});

describe('Machine 1’s addresses, for a scan made before a wake moved the lab', () => {
  it('are its current ones and every one the host saw it answer from', async () => {
    const journal = journalOf(scanSeen([22, 80], M1));
    const addrs = await targetAddresses(journal, 'machine1', [M1_AFTER_WAKE]);
    expect(addrs.sort()).toEqual([M1, M1_AFTER_WAKE]);
    const judged = await judgeScanFile(
      journal,
      { file: file([22, 80], M1), parties: parties(addrs), summed: 'closed' },
      [22, 80],
    );
    expect(judged).toMatchObject({ ok: true });
  });

  it('leave out what other machines sent, whatever source address they wrote', async () => {
    const forged = packetEvent({
      at: 5,
      from: 'machine2',
      src: '10.9.9.9',
      dst: M1,
      proto: 'icmp',
      icmp: { type: 8, code: 0, id: 1, seq: 1 },
    });
    expect(await targetAddresses(journalOf([forged]), 'machine1', [M1])).toEqual([M1]);
  });
});
