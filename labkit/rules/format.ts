/**
 * Canonical text for rules. formatRule() is what checkers show to students;
 * ruleKey() is the same text minus non-semantic metadata, so equal keys ⇔ equal rules.
 */
import type { NegatableField, Rule } from './types';

export interface FormatOptions {
  /** Print the leading `-A CHAIN` (default true). */
  chain?: boolean;
  /** Print `-m comment --comment` (default true for formatRule, false for ruleKey). */
  comment?: boolean;
}

function quote(v: string): string {
  return v === '' || /[\s"']/.test(v) ? JSON.stringify(v) : v;
}

export function formatRule(rule: Rule, opts: FormatOptions = {}): string {
  const out: string[] = [];
  const neg = (f: NegatableField): string => (rule.negated[f] ? '! ' : '');
  const m = rule.matches;
  if (opts.chain ?? true) out.push(`-A ${rule.chain}`);
  if (rule.source !== undefined) out.push(`${neg('source')}-s ${rule.source}`);
  if (rule.destination !== undefined) out.push(`${neg('destination')}-d ${rule.destination}`);
  if (rule.inInterface !== undefined) out.push(`${neg('inInterface')}-i ${rule.inInterface}`);
  if (rule.outInterface !== undefined) out.push(`${neg('outInterface')}-o ${rule.outInterface}`);
  if (rule.protocol !== undefined) out.push(`${neg('protocol')}-p ${rule.protocol}`);
  if (rule.fragment) out.push(`${neg('fragment')}-f`);
  if (m.state) out.push(`-m state ${neg('state')}--state ${m.state.join(',')}`);
  const ports = (field: 'dport' | 'sport', list: string[] | undefined): void => {
    if (!list) return;
    if (list.length === 1) out.push(`${neg(field)}--${field} ${list[0] ?? ''}`);
    else out.push(`-m multiport ${neg(field)}--${field}s ${list.join(',')}`);
  };
  ports('sport', m.sport);
  ports('dport', m.dport);
  if (m.ports) out.push(`-m multiport ${neg('ports')}--ports ${m.ports.join(',')}`);
  if (m.icmpType !== undefined) out.push(`${neg('icmpType')}--icmp-type ${m.icmpType}`);
  if (m.tcpFlags) {
    const f = (l: string[]): string => (l.length ? l.join(',') : 'NONE');
    out.push(`${neg('tcpFlags')}--tcp-flags ${f(m.tcpFlags.mask)} ${f(m.tcpFlags.comp)}`);
  }
  out.push(...m.other);
  if ((opts.comment ?? true) && rule.comment !== undefined) out.push(`-m comment --comment ${quote(rule.comment)}`);
  if (rule.target !== undefined) out.push(`${rule.goto ? '-g' : '-j'} ${rule.target}`);
  for (const k of Object.keys(rule.targetOptions).sort()) {
    const v = rule.targetOptions[k] ?? '';
    out.push(v === '' ? `--${k}` : `--${k} ${quote(v)}`);
  }
  return out.join(' ');
}

/** Canonical identity of a rule: same key ⇔ same semantics (option order, aliases, defaults ignored). */
export function ruleKey(rule: Rule, opts: { includeChain?: boolean } = {}): string {
  return formatRule(rule, { chain: opts.includeChain ?? true, comment: false });
}

/** Short text for messages: the student's own spelling when known, else the canonical form; no `-A CHAIN`. */
export function describeRule(rule: Rule): string {
  const m = /^(?:\[\d+:\d+\]\s*)?(?:-A|--append|-I|--insert)\s+\S+(?:\s+\d+)?\s+(.*)$/.exec(rule.raw ?? '');
  return m?.[1] ?? formatRule(rule, { chain: false });
}
