/**
 * Reads `xtables-monitor --trace` output into packets and their path through the filter table.
 * A packet is printed once per hook it passes (with the same id), and its TRACE lines can
 * arrive interleaved with other packets', so everything is grouped by id.
 */
import { parseRuleCommand, ruleKey, type RulesetModel } from '../../labkit/rules';
import type { LineMap } from './fileLines';
import type { TraceHop, TracedPacket } from './inspectorProtocol';

export const TRACE_TABLE = 'ipl_trace';

const PACKET_LINE = /^PACKET: \d+ ([0-9a-f]+) (.*)$/;
const TRACE_LINE = /^TRACE: \d+ ([0-9a-f]+) ([^:\s]+):([^:\s]+):(rule|policy|return):(\S*)\s*(.*)$/;

interface Building {
  packet: TracedPacket;
  fields: Record<string, string>;
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

  /** `rules` gives the latest running rules, which a learner may change mid-trace. */
  constructor(private readonly rules: () => { live: RulesetModel; lines: LineMap }) {}

  /** Feeds one output line; returns the id of the packet it changed, if any. */
  push(line: string): string | undefined {
    const text = line.trim();
    const p = PACKET_LINE.exec(text);
    if (p?.[1] !== undefined) {
      const b = this.get(p[1]);
      Object.assign(b.fields, fieldsOf(p[2] ?? ''));
      if (b.fields.IN) b.packet.inInterface = b.fields.IN;
      b.packet.summary = describe(b);
      return p[1];
    }
    const t = TRACE_LINE.exec(text);
    if (!t || t[1] === undefined) return undefined;
    const [, id, table, chain = '', kind, verdict = '', ruleText = ''] = t;
    const b = this.get(id);
    if (table === TRACE_TABLE) {
      const proto = /(?:^|\s)-p (\w+)/.exec(ruleText)?.[1];
      if (proto) b.protocol = proto;
      b.packet.summary = describe(b);
      return id;
    }
    if (table !== 'filter') return undefined;
    b.packet.hops.push(this.hop(chain, kind ?? '', verdict, ruleText));
    const last = b.packet.hops[b.packet.hops.length - 1];
    if (last && ['ACCEPT', 'DROP', 'REJECT', 'QUEUE'].includes(last.verdict)) b.packet.verdict = last.verdict;
    return id;
  }

  /** Packets that reached the filter table, oldest first. */
  traced(): TracedPacket[] {
    return this.order
      .map((id) => this.packets.get(id)?.packet)
      .filter((p): p is TracedPacket => p !== undefined && p.hops.length > 0);
  }

  private get(id: string): Building {
    let b = this.packets.get(id);
    if (!b) {
      b = { packet: { id, summary: '', hops: [] }, fields: {} };
      this.packets.set(id, b);
      this.order.push(id);
    }
    return b;
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
