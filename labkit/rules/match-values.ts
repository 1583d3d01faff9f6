/** Values of the match options (-s/-d, -i/-o, ports, states, TCP flags), validated into the rule. */
import { canonicalNetwork } from './address';
import { report, type RuleState } from './rule-state';
import { formatPortRange, parsePortList, parsePortRange } from './services';
import { closest, editDistance } from './suggest';
import type { NegatableField, Rule } from './types';

export const STATES = new Set(['INVALID', 'ESTABLISHED', 'RELATED', 'NEW', 'UNTRACKED']);
export const CTSTATES = new Set([...STATES, 'SNAT', 'DNAT']);
const TCP_FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'];

export function negate(rule: Rule, field: NegatableField, negated: boolean): void {
  if (negated) rule.negated[field] = true;
}

export function applyAddress(s: RuleState, which: 'source' | 'destination', value: string): void {
  const list = which === 'source' ? s.sources : s.destinations;
  if (list.length)
    report(s, 'error', 'duplicate-option', `multiple ${which === 'source' ? '-s' : '-d'} flags not allowed`);
  for (const item of value.split(',')) {
    const canon = canonicalNetwork(item);
    if (canon) list.push(canon);
    else if (/^[a-z][\w.-]*$/i.test(item)) {
      report(
        s,
        'warning',
        'hostname',
        `\`${item}\` is a hostname; iptables resolves it once at load time — prefer an IP address`,
      );
      list.push(item.toLowerCase());
    } else
      report(
        s,
        'error',
        'bad-address',
        `\`${item}\` is not a valid IPv4 address or network (use a.b.c.d or a.b.c.d/len)`,
      );
  }
}

export function applyInterface(s: RuleState, field: 'inInterface' | 'outInterface', value: string): void {
  // OCR/typing slips like `To`, `Io`, `l0` are valid names for iptables but never what was meant.
  if (value !== 'lo' && value.length === 2 && editDistance(value.toLowerCase(), 'lo') <= 1 && /[lo]/i.test(value)) {
    report(
      s,
      'warning',
      'suspicious-interface',
      `interface \`${value}\` — did you mean \`lo\`? (names are case-sensitive; the loopback interface is \`lo\`)`,
    );
  }
  s.rule[field] = value;
}

/** A port match as written: `list` for multiport's comma lists, else one port or range. */
export interface PortsUse {
  field: 'dport' | 'sport' | 'ports';
  value: string;
  list: boolean;
  negated: boolean;
}

export function applyPorts(s: RuleState, { field, value, list, negated }: PortsUse): void {
  let ports: string[];
  if (list) {
    const parsed = parsePortList(value);
    if ('bad' in parsed)
      return report(s, 'error', 'bad-port', `\`${parsed.bad}\` is not a port, service name or range`);
    ports = parsed.ports;
  } else {
    const r = parsePortRange(value);
    if (!r) return report(s, 'error', 'bad-port', `\`${value}\` is not a port, service name or range`);
    ports = [formatPortRange(r)];
  }
  const m = s.rule.matches;
  if (m[field] !== undefined) {
    m.other.push(`${negated ? '! ' : ''}--${field} ${ports.join(',')}`);
    return;
  }
  m[field] = ports;
  negate(s.rule, field, negated);
}

export function applyStates(s: RuleState, value: string, allowed: Set<string>, negated: boolean): void {
  const states = [...new Set(value.split(',').map((x) => x.trim().toUpperCase()))].sort();
  const bad = states.find((x) => !allowed.has(x));
  if (bad !== undefined) {
    const hint = closest(bad, allowed);
    return report(s, 'error', 'bad-state', `bad state \`${bad}\`${hint ? ` — did you mean ${hint}?` : ''}`);
  }
  const m = s.rule.matches;
  if (m.state === undefined) {
    m.state = states;
    negate(s.rule, 'state', negated);
  } else if (!!s.rule.negated.state === negated) {
    // -m state and -m conntrack together must both match: keep the intersection.
    m.state = negated ? [...new Set([...m.state, ...states])].sort() : m.state.filter((x) => states.includes(x));
  } else m.other.push(`${negated ? '! ' : ''}--state ${states.join(',')}`);
}

export function parseFlags(text: string): string[] | undefined {
  const t = text.toUpperCase();
  if (t === 'ALL') return [...TCP_FLAGS];
  if (t === 'NONE') return [];
  const flags = t.split(',');
  if (flags.some((f) => !TCP_FLAGS.includes(f))) return undefined;
  return TCP_FLAGS.filter((f) => flags.includes(f));
}
