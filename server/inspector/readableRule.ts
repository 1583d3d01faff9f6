/** A rule in plain words for beginners: "accept TCP to port 22, new connections". */
import type { Rule } from '../../labkit/rules';

const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  tcp: 'TCP',
  udp: 'UDP',
  icmp: 'ICMP',
  esp: 'IPsec ESP (protocol 50)',
  ah: 'IPsec AH (protocol 51)',
  '50': 'IPsec ESP (protocol 50)',
  '51': 'IPsec AH (protocol 51)',
  all: 'all packets',
};

const ICMP_NAMES: Readonly<Record<string, string>> = {
  '0': 'echo-reply',
  '3': 'destination-unreachable',
  '8': 'echo-request (ping)',
  '11': 'time-exceeded',
};

function action(rule: Rule): string {
  switch (rule.target) {
    case undefined:
      return 'count';
    case 'ACCEPT':
      return 'accept';
    case 'DROP':
      return 'drop';
    case 'REJECT':
      return 'reject';
    case 'RETURN':
      return 'return to the calling chain:';
    case 'LOG':
      return 'log';
    default:
      return rule.goto ? `go to chain ${rule.target} for` : `check chain ${rule.target} for`;
  }
}

function not(rule: Rule, field: keyof Rule['negated']): string {
  return rule.negated[field] ? 'not ' : '';
}

function ports(list: string[] | undefined): string {
  const text = (list ?? []).map((p) => p.replace(':', '–')).join(', ');
  return (list ?? []).length > 1 || text.includes('–') ? `ports ${text}` : `port ${text}`;
}

function what(rule: Rule): string {
  const p = rule.protocol;
  if (p === undefined) return 'everything';
  const name = `${rule.negated.protocol ? 'anything but ' : ''}${PROTOCOL_NAMES[p] ?? `protocol ${p}`}`;
  const type = rule.matches.icmpType;
  if (p === 'icmp' && !rule.negated.protocol) {
    if (type === undefined || type === 'any') return 'ICMP of any type';
    return `ICMP ${not(rule, 'icmpType')}${ICMP_NAMES[type] ?? `type ${type}`}`;
  }
  return name;
}

export function readableRule(rule: Rule): string {
  const parts: string[] = [];
  const m = rule.matches;
  if (m.dport) parts.push(`${not(rule, 'dport')}to ${ports(m.dport)}`);
  if (m.sport) parts.push(`${not(rule, 'sport')}from ${ports(m.sport)}`);
  if (m.ports) parts.push(`${not(rule, 'ports')}on ${ports(m.ports)}`);
  if (rule.source !== undefined) parts.push(`${not(rule, 'source')}from ${rule.source}`);
  if (rule.destination !== undefined) parts.push(`${not(rule, 'destination')}to ${rule.destination}`);
  if (rule.inInterface !== undefined)
    parts.push(
      `${not(rule, 'inInterface')}arriving on ${rule.inInterface === 'lo' ? 'lo (the machine itself)' : rule.inInterface}`,
    );
  if (rule.outInterface !== undefined) parts.push(`${not(rule, 'outInterface')}leaving by ${rule.outInterface}`);
  const head = `${action(rule)} ${what(rule)}${parts.length ? ` ${parts.join(' ')}` : ''}`;
  const tail: string[] = [];
  if (m.state) {
    const states = m.state.map((s) => s.toLowerCase()).join(' or ');
    tail.push(`${not(rule, 'state')}${states} connections`);
  }
  if (m.tcpFlags) tail.push('with chosen TCP flags');
  if (m.other.length) tail.push(m.other.join(' '));
  const rejectWith = rule.targetOptions['reject-with'];
  if (rule.target === 'REJECT') tail.push(`answering ${rejectWith ?? 'icmp-port-unreachable'}`);
  return [head, ...tail].join(', ');
}
