/** Applies one resolved option and its arguments to the rule being built, validating values. */
import { canonicalIcmpType, ICMP_TYPE_NAMES } from './icmp-types';
import type { OptionSpec } from './options';
import { canonicalProtocol, PROTOCOL_NAMES } from './protocols';
import { report, type CommandAction, type RuleState } from './rule-state';
import {
  applyAddress,
  applyInterface,
  applyPorts,
  applyStates,
  CTSTATES,
  negate,
  parseFlags,
  STATES,
} from './match-values';
import { closest } from './suggest';
import { canonicalRejectWith, KNOWN_TARGETS, REJECT_WITH_NAMES } from './targets';

const COMMAND_LETTERS: Readonly<Record<string, CommandAction>> = {
  append: 'A',
  insert: 'I',
  delete: 'D',
  replace: 'R',
  check: 'C',
  list: 'L',
  'list-rules': 'S',
  flush: 'F',
  zero: 'Z',
  'new-chain': 'N',
  'delete-chain': 'X',
  policy: 'P',
  'rename-chain': 'E',
};

export const KNOWN_MODULES = new Set([
  'tcp',
  'udp',
  'icmp',
  'state',
  'conntrack',
  'multiport',
  'comment',
  'sctp',
  'udplite',
  'dccp',
]);

function isNumber(tok: string | undefined): tok is string {
  return tok !== undefined && /^\d+$/.test(tok);
}

function applyCommand(s: RuleState, action: CommandAction, args: string[], queue: string[]): void {
  if (s.command) report(s, 'error', 'duplicate-option', `only one command (-${s.command.action}) is allowed per line`);
  const cmd: RuleState['command'] = { action };
  const [chain, second] = args;
  if (chain !== undefined) cmd.chain = chain;
  if (action === 'P' && second !== undefined) cmd.policy = second;
  if (action === 'E' && second !== undefined) cmd.newName = second;
  // Optional trailing arguments: -I CHAIN [n], -D CHAIN n, -R CHAIN n, -L/-F/-Z/-X/-S [CHAIN].
  if (['L', 'S', 'F', 'Z', 'X'].includes(action) && queue[0] !== undefined && !queue[0].startsWith('-')) {
    cmd.chain = queue.shift();
  }
  if (['I', 'D', 'R'].includes(action) && isNumber(queue[0])) cmd.position = Number(queue.shift());
  if (action === 'R' && cmd.position === undefined)
    report(s, 'error', 'bad-position', '-R needs a rule number after the chain');
  if (cmd.position === 0) report(s, 'error', 'bad-position', 'rule numbers start at 1');
  s.command = cmd;
  if (cmd.chain !== undefined) s.rule.chain = cmd.chain;
}

/** One option as written: which it is, its arguments, and whether a `!` negates it. */
export interface OptionUse {
  spec: OptionSpec;
  args: string[];
  negated: boolean;
}

/** Applies one option to the rule; a command may take more words (chain, rule number) from `queue`. */
export function applyOption(s: RuleState, { spec, args, negated }: OptionUse, queue: string[]): void {
  const r = s.rule;
  const [v = '', v2 = ''] = args;
  const action = COMMAND_LETTERS[spec.name];
  if (action) return applyCommand(s, action, args, queue);
  switch (spec.name) {
    case 'table':
      if (s.inFile)
        report(
          s,
          'error',
          'unsupported-command',
          '-t is not allowed inside an iptables-restore file; use a `*table` line',
        );
      s.table = v;
      return;
    case 'protocol': {
      if (r.protocol !== undefined) report(s, 'error', 'duplicate-option', 'multiple -p flags not allowed');
      const p = canonicalProtocol(v);
      if (p === undefined) {
        const hint = closest(v, PROTOCOL_NAMES);
        return report(
          s,
          'error',
          'unknown-protocol',
          `unknown protocol \`${v}\`${hint ? ` — did you mean ${hint}?` : ''}`,
        );
      }
      r.protocol = p;
      return negate(r, 'protocol', negated);
    }
    case 'source':
    case 'destination':
      applyAddress(s, spec.name, v);
      return negate(r, spec.name, negated);
    case 'in-interface':
    case 'out-interface': {
      const field = spec.name === 'in-interface' ? 'inInterface' : 'outInterface';
      applyInterface(s, field, v);
      return negate(r, field, negated);
    }
    case 'fragment':
      r.fragment = true;
      return negate(r, 'fragment', negated);
    case 'jump':
    case 'goto':
      if (s.targetSeen) report(s, 'error', 'duplicate-option', 'multiple -j/-g flags not allowed');
      s.targetSeen = true;
      if (!KNOWN_TARGETS.has(v) && KNOWN_TARGETS.has(v.toUpperCase())) {
        report(
          s,
          'error',
          'unknown-target',
          `target \`${v}\` does not exist — targets are case-sensitive; did you mean ${v.toUpperCase()}?`,
        );
      }
      r.target = v;
      if (spec.name === 'goto') r.goto = true;
      return;
    case 'match': {
      const mod = v.toLowerCase();
      s.modules.push(mod);
      if (KNOWN_MODULES.has(mod)) delete s.genericModule;
      else {
        s.genericModule = mod;
        r.matches.other.push(`-m ${mod}`);
      }
      return;
    }
    case 'set-counters':
      r.counters = { packets: Number(v) || 0, bytes: Number(v2) || 0 };
      return;
    case 'dport':
    case 'sport':
      return applyPorts(s, { field: spec.name, value: v, list: false, negated });
    case 'dports':
    case 'sports':
      return applyPorts(s, { field: spec.name === 'dports' ? 'dport' : 'sport', value: v, list: true, negated });
    case 'ports':
      return applyPorts(s, { field: 'ports', value: v, list: true, negated });
    case 'icmp-type': {
      const t = canonicalIcmpType(v);
      if (t === undefined) {
        const hint = closest(v, ICMP_TYPE_NAMES);
        return report(
          s,
          'error',
          'unknown-icmp-type',
          `unknown ICMP type \`${v}\`${hint ? ` — did you mean ${hint}?` : ''}`,
        );
      }
      r.matches.icmpType = t;
      return negate(r, 'icmpType', negated);
    }
    case 'state':
      return applyStates(s, v, STATES, negated);
    case 'ctstate':
      return applyStates(s, v, CTSTATES, negated);
    case 'syn':
      r.matches.tcpFlags = { mask: ['FIN', 'SYN', 'RST', 'ACK'], comp: ['SYN'] };
      return negate(r, 'tcpFlags', negated);
    case 'tcp-flags': {
      const mask = parseFlags(v);
      const comp = parseFlags(v2);
      if (!mask || !comp)
        return report(
          s,
          'error',
          'bad-tcp-flags',
          `bad TCP flags \`${v} ${v2}\` (use FIN,SYN,RST,PSH,ACK,URG, ALL or NONE)`,
        );
      r.matches.tcpFlags = { mask, comp };
      return negate(r, 'tcpFlags', negated);
    }
    case 'comment':
      r.comment = v;
      return;
    case 'reject-with': {
      const reason = canonicalRejectWith(v);
      if (reason === undefined) {
        const hint = closest(v, REJECT_WITH_NAMES);
        return report(
          s,
          'error',
          'bad-reject-with',
          `unknown REJECT reason \`${v}\`${hint ? ` — did you mean ${hint}?` : ''}`,
        );
      }
      r.targetOptions['reject-with'] = reason;
      return;
    }
    default:
      if (spec.module === 'command') return; // -n, -v, -w, ... do not change the rule
      if (spec.module.startsWith('target:')) {
        r.targetOptions[spec.name] = v;
        return;
      }
      r.matches.other.push(`${negated ? '! ' : ''}--${spec.name}${args.map((a) => ` ${a}`).join('')}`);
  }
}
