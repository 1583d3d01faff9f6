/**
 * Packets as people read them: each ping (one ICMP id) and each run of TCP SYNs from one machine
 * to one address becomes one line saying what answered, in order ("3 echo requests answered,
 * then 4 rejected as host-prohibited"; "scan of 1000 ports: 3 open, 997 rejected as
 * host-prohibited"). Answers are matched to what they answer (ICMP id and sequence; TCP ports;
 * the packet an ICMP error quotes), so an answer never counts as something the learner sent.
 */
import type { JournalPacket } from '../../labkit/journal';

/** How machines and addresses are named in the lines. */
export interface PacketNames {
  machine(machineId: string | undefined): string;
  address(address: string): string;
}

export interface PacketGroup {
  /** The segment of the timeline it belongs to (packets between two other events). */
  segment: number;
  at: number;
  until: number;
  machine: string;
  text: string;
}

/** Ports probed from one address to another at least this many: called a scan. */
const SCAN_PORTS = 5;
/** Open ports listed by number in a scan's line. */
const LISTED_PORTS = 10;

const ICMP_UNREACHABLE: Record<number, string> = {
  0: 'net unreachable',
  1: 'host unreachable',
  3: 'port unreachable',
  9: 'net-prohibited',
  10: 'host-prohibited',
  13: 'administratively prohibited',
};

/** What an ICMP destination-unreachable code says, as "rejected as …". */
export function rejectedAs(code: number): string {
  return `rejected as ${ICMP_UNREACHABLE[code] ?? `ICMP unreachable code ${code}`}`;
}

interface Sent {
  seq: number;
  answer: string;
}

interface Group {
  kind: 'echo' | 'tcp';
  segment: number;
  at: number;
  until: number;
  from: string | undefined;
  dst: string;
  probe: boolean;
  /** Echo: by sequence number; TCP: by destination port. */
  sent: Map<number, Sent>;
}

/**
 * Summarises packets in time order. `segmentOf(at)` says which stretch of the timeline a time
 * falls in, so a ping that spans a ruleset change is told in two lines, before and after it.
 */
export function summarisePackets(
  packets: readonly JournalPacket[],
  names: PacketNames,
  segmentOf: (at: number) => number,
): PacketGroup[] {
  const groups = new Map<string, Group>();
  /** Requests and SYNs by what their answer will carry, to find them again. */
  const waiting = new Map<string, Sent>();
  const others = new Map<number, { at: number; until: number; count: number }>();
  const other = (p: JournalPacket): void => {
    const segment = segmentOf(p.at);
    const o = others.get(segment) ?? { at: p.at, until: p.at, count: 0 };
    o.until = p.at;
    o.count++;
    others.set(segment, o);
  };
  const groupOf = (p: JournalPacket, kind: Group['kind'], flow: string): Group => {
    const segment = segmentOf(p.at);
    const key = `${segment}|${kind}|${p.from ?? ''}|${p.src}|${p.dst}|${flow}`;
    let g = groups.get(key);
    if (!g) {
      g = { kind, segment, at: p.at, until: p.at, from: p.from, dst: p.dst, probe: false, sent: new Map() };
      groups.set(key, g);
    }
    g.until = p.at;
    return g;
  };
  const answer = (key: string, text: string): boolean => {
    const sent = waiting.get(key);
    if (!sent || sent.answer !== 'unanswered') return sent !== undefined;
    sent.answer = text;
    return true;
  };

  for (const p of packets) {
    const { icmp, tcp } = p;
    if (icmp?.type === 8 && icmp.id !== undefined && icmp.seq !== undefined) {
      const g = groupOf(p, 'echo', String(icmp.id));
      g.probe ||= icmp.probe === true;
      const key = `echo|${p.src}|${p.dst}|${icmp.id}|${icmp.seq}`;
      if (waiting.has(key)) continue;
      const sent = { seq: icmp.seq, answer: 'unanswered' };
      g.sent.set(icmp.seq, sent);
      waiting.set(key, sent);
    } else if (icmp?.type === 0 && icmp.id !== undefined && icmp.seq !== undefined) {
      if (!answer(`echo|${p.dst}|${p.src}|${icmp.id}|${icmp.seq}`, 'answered')) other(p);
    } else if (icmp?.type === 3 && icmp.inner) {
      const i = icmp.inner;
      const key =
        i.proto === 'icmp'
          ? `echo|${i.src}|${i.dst}|${i.id ?? ''}|${i.seq ?? ''}`
          : `tcp|${i.src}|${i.dst}|${i.sport ?? ''}|${i.dport ?? ''}`;
      if (!answer(key, rejectedAs(icmp.code))) other(p);
    } else if (tcp?.flags === 'SYN') {
      const g = groupOf(p, 'tcp', '');
      const key = `tcp|${p.src}|${p.dst}|${tcp.sport}|${tcp.dport}`;
      if (waiting.has(key)) continue;
      const sent = g.sent.get(tcp.dport) ?? { seq: tcp.dport, answer: 'unanswered' };
      g.sent.set(tcp.dport, sent);
      waiting.set(key, sent);
    } else if (tcp) {
      // The initiator's own RST after a SYN-ACK (a scanner closing a half-open connection) says nothing new.
      if (waiting.has(`tcp|${p.src}|${p.dst}|${tcp.sport}|${tcp.dport}`)) continue;
      if (!answer(`tcp|${p.dst}|${p.src}|${tcp.dport}|${tcp.sport}`, tcp.flags === 'SYN-ACK' ? 'open' : 'closed'))
        other(p);
    } else other(p);
  }

  const lines: PacketGroup[] = [...groups.values()].map((g) => ({
    segment: g.segment,
    at: g.at,
    until: g.until,
    machine: names.machine(g.from),
    text: g.kind === 'echo' ? echoLine(g, names) : tcpLine(g, names),
  }));
  for (const [segment, o] of others)
    lines.push({
      segment,
      at: o.at,
      until: o.until,
      machine: '',
      text: `${o.count} other ${o.count === 1 ? 'packet' : 'packets'} (answers to requests sent before the journal saw them, or stray ones)`,
    });
  return lines.sort((a, b) => a.at - b.at);
}

function echoLine(g: Group, names: PacketNames): string {
  const runs: { answer: string; count: number }[] = [];
  for (const sent of [...g.sent.values()].sort((a, b) => a.seq - b.seq)) {
    const last = runs[runs.length - 1];
    if (last?.answer === sent.answer) last.count++;
    else runs.push({ answer: sent.answer, count: 1 });
  }
  const told = runs.map((r, i) =>
    i === 0 ? `${r.count} echo ${r.count === 1 ? 'request' : 'requests'} ${r.answer}` : `then ${r.count} ${r.answer}`,
  );
  const who = g.probe ? `The check's own ping from ${names.machine(g.from)}` : `${names.machine(g.from)} pinged`;
  return `${who} ${g.probe ? 'to ' : ''}${names.address(g.dst)}: ${told.join(', ')}`;
}

function tcpLine(g: Group, names: PacketNames): string {
  const byAnswer = new Map<string, number[]>();
  for (const [port, sent] of g.sent) byAnswer.set(sent.answer, [...(byAnswer.get(sent.answer) ?? []), port]);
  const from = names.machine(g.from);
  const to = names.address(g.dst);
  if (g.sent.size < SCAN_PORTS) {
    const ports = [...g.sent.entries()].map(([port, sent]) => `port ${port} ${sent.answer}`);
    return `${from} connected to ${to} over TCP: ${ports.join('; ')}`;
  }
  const order = ['open', 'closed'];
  const counts = [...byAnswer.entries()]
    .sort(([a, x], [b, y]) => rank(a, order) - rank(b, order) || y.length - x.length)
    .map(([answer, ports]) => {
      const listed =
        answer === 'open' && ports.length <= LISTED_PORTS ? ` (${ports.sort((a, b) => a - b).join(', ')})` : '';
      return `${ports.length} ${answer}${listed}`;
    });
  return `${from} scanned ${to}: scan of ${g.sent.size} ports: ${counts.join(', ')}`;
}

const rank = (answer: string, order: string[]): number => {
  const i = order.indexOf(answer);
  return i === -1 ? order.length : i;
};
