/** Does one rule's conditions match a described packet? Used by the evaluator. */
import { networkContains, parseNetwork } from './address';
import { canonicalIcmpType } from './icmp-types';
import { canonicalProtocol } from './protocols';
import { formatRule } from './format';
import { otherMatchResult } from './other-matches';
import { portInSpecs, portNumber } from './services';
import type { NegatableField, Rule } from './types';

export type ConnState = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';

export interface Packet {
  /** Default 'filter'. */
  table?: string;
  /** Chain where evaluation starts; default 'INPUT'. */
  chain?: string;
  /** Name or number: 'tcp', 'icmp', 50, 'esp', ... */
  protocol: string | number;
  src: string;
  dst?: string;
  inInterface?: string;
  outInterface?: string;
  sport?: number | string;
  dport?: number | string;
  /** Name or number ('echo-request', 8, '3/4'); default 8 (ping) for ICMP packets. */
  icmpType?: number | string;
  /** Default 'NEW'. */
  state?: ConnState;
  /** Default: ['SYN'] for NEW, ['ACK'] otherwise. */
  tcpFlags?: string[];
  /** Non-first fragment? Default false. */
  fragment?: boolean;
}

/** Applies `!` — a missing packet field counts as "not equal", so it matches only negated conditions. */
function cond(rule: Rule, field: NegatableField, matched: boolean): boolean {
  return rule.negated[field] ? !matched : matched;
}

function ifaceMatches(pattern: string, name: string | undefined): boolean {
  if (name === undefined) return false;
  return pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

function addrMatches(net: string, ip: string | undefined, what: string, notes: string[]): boolean {
  if (ip === undefined) {
    notes.push(`packet has no ${what} address; treated as outside ${net}`);
    return false;
  }
  if (!parseNetwork(net)) {
    notes.push(`cannot evaluate hostname ${net}; treated as not matching`);
    return false;
  }
  return networkContains(net, ip);
}

function icmpMatches(spec: string, pkt: Packet): boolean {
  const p = canonicalIcmpType(String(pkt.icmpType ?? 8));
  if (p === undefined || p === 'any') return spec === 'any';
  if (spec === 'any') return true;
  const [type, code] = p.split('/');
  const [st, sc] = spec.split('/');
  return st === type && (sc === undefined || sc === code);
}

export function ruleMatchesPacket(rule: Rule, pkt: Packet, notes: string[]): boolean {
  const m = rule.matches;
  const proto = canonicalProtocol(pkt.protocol);
  if (rule.protocol !== undefined && !cond(rule, 'protocol', rule.protocol === 'all' || rule.protocol === proto))
    return false;
  if (rule.source !== undefined && !cond(rule, 'source', addrMatches(rule.source, pkt.src, 'source', notes)))
    return false;
  if (
    rule.destination !== undefined &&
    !cond(rule, 'destination', addrMatches(rule.destination, pkt.dst, 'destination', notes))
  )
    return false;
  if (rule.inInterface !== undefined && !cond(rule, 'inInterface', ifaceMatches(rule.inInterface, pkt.inInterface)))
    return false;
  if (rule.outInterface !== undefined && !cond(rule, 'outInterface', ifaceMatches(rule.outInterface, pkt.outInterface)))
    return false;
  if (rule.fragment && !cond(rule, 'fragment', pkt.fragment ?? false)) return false;
  const dport = pkt.dport === undefined ? undefined : portNumber(String(pkt.dport));
  const sport = pkt.sport === undefined ? undefined : portNumber(String(pkt.sport));
  if (m.dport && !cond(rule, 'dport', dport !== undefined && portInSpecs(dport, m.dport))) return false;
  if (m.sport && !cond(rule, 'sport', sport !== undefined && portInSpecs(sport, m.sport))) return false;
  if (m.ports) {
    const hit = [dport, sport].some((p) => p !== undefined && portInSpecs(p, m.ports ?? []));
    if (!cond(rule, 'ports', hit)) return false;
  }
  if (m.icmpType !== undefined && !cond(rule, 'icmpType', icmpMatches(m.icmpType, pkt))) return false;
  const state = pkt.state ?? 'NEW';
  if (m.state && !cond(rule, 'state', m.state.includes(state))) return false;
  if (m.tcpFlags) {
    const flags = (pkt.tcpFlags ?? (state === 'NEW' ? ['SYN'] : ['ACK'])).map((f) => f.toUpperCase());
    const { mask, comp } = m.tcpFlags;
    const ok = mask.every((f) => flags.includes(f) === comp.includes(f));
    if (!cond(rule, 'tcpFlags', ok)) return false;
  }
  const unknown: string[] = [];
  for (const entry of m.other) {
    const exact = otherMatchResult(entry, pkt.src, pkt.dst);
    if (exact === false) return false;
    if (exact === undefined) unknown.push(entry);
  }
  if (unknown.length) notes.push(`assumed \`${unknown.join(' ')}\` matches in \`${formatRule(rule)}\``);
  return true;
}
