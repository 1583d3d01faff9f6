/**
 * Reads `xtables-monitor --trace` output into packets and their path through the filter table.
 * A packet is printed once per hook it passes (with the same id), and its TRACE lines can
 * arrive interleaved with other packets', so everything is grouped by id. Only packets that
 * our own trace table marked are kept: a learner's `-j TRACE` rule marks packets too.
 */
import { parseRuleCommand, ruleKey, type RulesetModel } from '../../labkit/rules';
import type { LineMap } from './fileLines';
import type { TraceHop, TracedPacket } from '../../protocol/inspector';
import { MonitorRecords } from './monitorRecords';
import { packetFate } from './packetFate';
import { readableRule } from './readableRule';

export const TRACE_TABLE = 'ipl_trace';

const PACKET_LINE = /^PACKET: \d+ ([0-9a-f]+) ([^\n]*)$/;
const TRACE_LINE = /^TRACE: \d+ ([0-9a-f]+) ([^:\s]+):([^:\s]+):(rule|policy|return):(\S*)\s*([\s\S]*)$/;
/** Packets seen but not (yet) marked by our table; more are forgotten, oldest first. */
const MAX_UNMARKED = 256;
/** Marked packets kept; the trace stops long before this. */
const MAX_MARKED = 500;

interface Building {
  packet: TracedPacket;
  fields: Record<string, string>;
  /** Our trace table marked it (its first trace line is ours). */
  marked: boolean;
  /** Protocol named by our own trace rule ("-p icmp"), which the PACKET line does not always show. */
  protocol?: string;
}

function fieldsOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const token of text.trim().split(/\s+/)) {
    const eq = token.indexOf('=');
    if (eq > 0) out[token.slice(0, eq)] = token.slice(eq + 1);
    else if (token !== '') out[token] = '';
  }
  return out;
}

function describe(b: Building): string {
  const f = b.fields;
  const flags = ['SYN', 'ACK', 'FIN', 'RST'].filter((k) => k in f);
  const proto = (b.protocol ?? (flags.length ? 'tcp' : f.SPORT ? 'udp' : 'ip')).toUpperCase();
  const ports = f.DPORT ? ` port ${f.DPORT}` : '';
  const extra = flags.length ? ` (${flags.join(',')})` : '';
  return `${proto} ${f.SRC ?? '?'} → ${f.DST ?? '?'}${ports}${extra}`;
}

export class TraceReader {
  private readonly packets = new Map<string, Building>();
  private readonly order: string[] = [];
  private readonly records = new MonitorRecords((record) => this.record(record));

  /** `rules` gives the latest running rules, which a learner may change mid-trace. */
  constructor(private readonly rules: () => { live: RulesetModel; lines: LineMap }) {}

  /** Feeds raw monitor output, in chunks of any size. */
  feed(chunk: string): void {
    this.records.feed(chunk);
  }

  /** Feeds one output line (as `feed` with its newline). */
  push(line: string): void {
    this.records.feed(`${line}\n`);
  }

  /** Packets our table marked that reached the filter table, oldest first. */
  traced(): TracedPacket[] {
    return this.order
      .map((id) => this.packets.get(id))
      .filter((b): b is Building => b !== undefined && b.marked && b.packet.hops.length > 0)
      .map((b) => ({ ...b.packet, fate: packetFate(b.packet.hops) }));
  }

  private record(record: string): void {
    const text = record.trim();
    const p = PACKET_LINE.exec(text);
    if (p?.[1] !== undefined) {
      const b = this.get(p[1]);
      if (!b) return;
      Object.assign(b.fields, fieldsOf(p[2] ?? ''));
      if (b.fields.IN) b.packet.inInterface = b.fields.IN;
      b.packet.summary = describe(b);
      return;
    }
    const t = TRACE_LINE.exec(text);
    if (!t || t[1] === undefined) return;
    const [, id, table, chain = '', kind, verdict = '', ruleText = ''] = t;
    const b = this.get(id);
    if (!b) return;
    if (table === TRACE_TABLE) {
      // Our table hooks before every other: a packet it marks shows it first.
      if (b.packet.hops.length === 0 && !b.marked) this.mark(id, b);
      const proto = /(?:^|\s)ip protocol (\w+)|(?:^|\s)-p (\w+)/.exec(ruleText);
      if (proto) b.protocol = proto[1] ?? proto[2];
      b.packet.summary = describe(b);
      return;
    }
    if (table !== 'filter' || !b.marked) return;
    b.packet.hops.push(this.hop(chain, kind ?? '', verdict, ruleText));
    const last = b.packet.hops[b.packet.hops.length - 1];
    if (last && ['ACCEPT', 'DROP', 'REJECT', 'QUEUE'].includes(last.verdict)) b.packet.verdict = last.verdict;
  }

  private get(id: string): Building | undefined {
    let b = this.packets.get(id);
    if (!b) {
      if (this.order.length >= MAX_MARKED) return undefined;
      b = { packet: { id, summary: '', hops: [], fate: '' }, fields: {}, marked: false };
      this.packets.set(id, b);
      this.forgetUnmarked();
    }
    return b;
  }

  private mark(id: string, b: Building): void {
    b.marked = true;
    this.order.push(id);
  }

  private forgetUnmarked(): void {
    let unmarked = this.packets.size - this.order.length;
    for (const [id, b] of this.packets) {
      if (unmarked <= MAX_UNMARKED) return;
      if (!b.marked) {
        this.packets.delete(id);
        unmarked--;
      }
    }
  }

  private hop(chain: string, kind: string, verdict: string, ruleText: string): TraceHop {
    if (kind === 'policy') return { chain, verdict, policy: true };
    if (kind === 'return') return { chain, verdict: 'RETURN' };
    // The rule as iptables prints it: "-4 -t filter -A CHAIN ... -j TARGET"
    const command = parseRuleCommand(ruleText.replace(/^-4\s+/, ''));
    const rule = command.rule;
    // After the rule handle: "0x5:JUMP:RH-Firewall-1-INPUT" or "0x8:ACCEPT".
    const hop: TraceHop = { chain, verdict: verdict.replace(/^0x[0-9a-f]+:/, '').split(':')[0] ?? verdict };
    if (!rule) return hop;
    hop.text = ruleText.replace(/^-4\s+-t\s+\S+\s+/, '');
    hop.readable = readableRule(rule);
    // nf_tables reports REJECT as DROP; the learner wrote REJECT.
    if (rule.target === 'REJECT') hop.verdict = 'REJECT';
    const { live, lines } = this.rules();
    const chainModel = live.tables.find((t) => t.name === 'filter')?.chains.find((c) => c.name === chain);
    const key = ruleKey(rule, { includeChain: false });
    // Identical rules match identically, so the first one with the same meaning is the one that fired.
    const index = chainModel?.rules.findIndex((r) => ruleKey(r, { includeChain: false }) === key) ?? -1;
    if (index >= 0) {
      hop.number = index + 1;
      const line = lines.get(chain)?.[index];
      if (line !== undefined) hop.fileLine = line;
    }
    return hop;
  }
}
