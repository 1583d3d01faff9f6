/**
 * Why one rule does not match a packet, in words ("port 80 ≠ 22"). The verdict itself always
 * comes from the rule model's evaluator; this only explains the rules it passed over.
 */
import {
  canonicalIcmpType,
  canonicalProtocol,
  networkContains,
  portInSpecs,
  type NegatableField,
  type Packet,
  type Rule,
} from '../../labkit/rules';

function ifaceMatches(pattern: string, name: string | undefined): boolean {
  if (name === undefined) return false;
  return pattern.endsWith('+') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

function icmpMatches(spec: string, packetType: string | undefined): boolean {
  if (spec === 'any') return true;
  if (packetType === undefined || packetType === 'any') return false;
  const [type, code] = packetType.split('/');
  const [st, sc] = spec.split('/');
  return st === type && (sc === undefined || sc === code);
}

/** One condition: `hit` is whether the packet meets it before `!`; `say` words a miss. */
function check(rule: Rule, field: NegatableField, hit: boolean, say: (negated: boolean) => string): string | undefined {
  const negated = rule.negated[field] === true;
  return hit !== negated ? undefined : say(negated);
}

export function whyNot(rule: Rule, packet: Packet): string | undefined {
  const proto = canonicalProtocol(packet.protocol) ?? String(packet.protocol);
  const m = rule.matches;
  const dport = packet.dport === undefined ? undefined : Number(packet.dport);
  const state = packet.state ?? 'NEW';
  const reasons = [
    rule.protocol === undefined || rule.protocol === 'all'
      ? undefined
      : check(rule, 'protocol', rule.protocol === proto, (n) =>
          n ? `protocol is ${proto}, which the rule excludes` : `protocol ${proto} ≠ ${rule.protocol}`,
        ),
    rule.source === undefined
      ? undefined
      : check(rule, 'source', networkContains(rule.source, packet.src), (n) =>
          n
            ? `source ${packet.src} is inside ${rule.source}, which the rule excludes`
            : `source ${packet.src} is not in ${rule.source}`,
        ),
    rule.destination === undefined
      ? undefined
      : check(rule, 'destination', packet.dst !== undefined && networkContains(rule.destination, packet.dst), (n) =>
          n
            ? `destination ${packet.dst ?? '?'} is excluded`
            : `destination ${packet.dst ?? '(unknown)'} is not in ${rule.destination}`,
        ),
    rule.inInterface === undefined
      ? undefined
      : check(rule, 'inInterface', ifaceMatches(rule.inInterface, packet.inInterface), (n) =>
          n
            ? `arrives on ${packet.inInterface ?? '?'}, which the rule excludes`
            : `arrives on ${packet.inInterface ?? '(unknown)'}, not ${rule.inInterface}`,
        ),
    rule.outInterface === undefined
      ? undefined
      : check(
          rule,
          'outInterface',
          ifaceMatches(rule.outInterface, packet.outInterface),
          () => `leaves by ${packet.outInterface ?? '(unknown)'}, not ${rule.outInterface}`,
        ),
    !m.dport
      ? undefined
      : check(rule, 'dport', dport !== undefined && portInSpecs(dport, m.dport), (n) =>
          dport === undefined
            ? 'the packet has no port'
            : n
              ? `port ${dport} is excluded`
              : `port ${dport} ≠ ${m.dport?.join(',') ?? ''}`,
        ),
    m.icmpType === undefined
      ? undefined
      : check(
          rule,
          'icmpType',
          icmpMatches(m.icmpType, canonicalIcmpType(String(packet.icmpType ?? 8))),
          () => `ICMP type ${String(packet.icmpType ?? 'echo-request')} ≠ ${m.icmpType ?? ''}`,
        ),
    !m.state
      ? undefined
      : check(rule, 'state', m.state.includes(state), (n) =>
          n ? `state ${state} is excluded` : `state ${state} ≠ ${m.state?.join(',') ?? ''}`,
        ),
  ];
  return reasons.find((r) => r !== undefined);
}
