/**
 * Walks the words of one iptables command / restore line and builds a Rule.
 * Never throws: every oddity becomes a Problem and parsing continues with a best guess,
 * so checkers can still see what the student meant.
 */
import { applyOption, KNOWN_MODULES } from './apply-option';
import {
  ALL_LONG_NAMES,
  ALL_OPTIONS,
  COMMAND_OPTIONS,
  CORE_OPTIONS,
  MODULE_OPTIONS,
  modulesProviding,
  resolveLong,
  resolveShort,
  type OptionSpec,
} from './options';
import { canonicalIcmpType } from './icmp-types';
import { canonicalProtocol, PORT_PROTOCOLS } from './protocols';
import { createRuleState, finishRule, report, type CommandInfo, type RuleState } from './rule-state';
import { parsePortList, parsePortRange } from './services';
import { closest } from './suggest';
import { KNOWN_TARGETS } from './targets';
import type { Problem, Rule } from './types';

export interface ParsedArgs {
  command?: CommandInfo;
  /** From -t (command lines only). */
  table?: string;
  rule: Rule;
  /** `rule` expanded for comma-separated -s/-d lists (usually just [rule]). */
  rules: Rule[];
  problems: Problem[];
}

type Resolved =
  { kind: 'spec'; spec: OptionSpec; inline?: string } | { kind: 'generic'; name: string } | { kind: 'skip' };

const BASIC_TARGETS = new Set(['ACCEPT', 'DROP', 'RETURN', 'QUEUE']);

/** Options usable at this point: core + loaded matches + the protocol's implicit match + the target's options. */
function available(s: RuleState): OptionSpec[] {
  const mods = new Set(s.modules);
  const p = s.rule.protocol;
  if (p !== undefined && !s.rule.negated.protocol) mods.add(p === 'ipv6-icmp' ? 'icmp6' : p);
  const out = [...COMMAND_OPTIONS, ...CORE_OPTIONS];
  for (const m of mods) out.push(...(MODULE_OPTIONS[m] ?? []));
  if (s.rule.target !== undefined) out.push(...(MODULE_OPTIONS[`target:${s.rule.target}`] ?? []));
  return out;
}

function needsModuleMessage(opt: string, mods: string[]): string {
  if (mods.includes('tcp') || mods.includes('udp'))
    return `\`--${opt}\` needs \`-p tcp\` or \`-p udp\` (or \`-m tcp\`) before it`;
  const [mod = ''] = mods;
  if (mod.startsWith('target:')) return `\`--${opt}\` only works after \`-j ${mod.slice(7)}\``;
  if (mod === 'icmp') return `\`--${opt}\` needs \`-p icmp\` before it`;
  return `\`--${opt}\` needs \`-m ${mod}\` before it`;
}

/** Whether unknown `--x` options should be swallowed as belonging to an unknown module or target. */
function genericContext(s: RuleState): boolean {
  if (s.targetSeen) {
    const t = s.rule.target ?? '';
    return KNOWN_TARGETS.has(t) && !BASIC_TARGETS.has(t) && MODULE_OPTIONS[`target:${t}`] === undefined;
  }
  return s.genericModule !== undefined;
}

function resolveLongToken(s: RuleState, tok: string): Resolved {
  const eq = tok.indexOf('=');
  const name = eq > 0 ? tok.slice(2, eq) : tok.slice(2);
  const inline = eq > 0 ? tok.slice(eq + 1) : undefined;
  const res = resolveLong(name, available(s));
  const withInline = (spec: OptionSpec): Resolved =>
    inline === undefined ? { kind: 'spec', spec } : { kind: 'spec', spec, inline };
  if (res.kind === 'found') {
    if (res.abbreviated) {
      report(
        s,
        'warning',
        'abbreviated-option',
        `\`--${name}\` is an abbreviation of \`--${res.spec.long[0]}\`; iptables accepts it, but write it in full`,
      );
    }
    return withInline(res.spec);
  }
  if (res.kind === 'ambiguous') {
    report(
      s,
      'error',
      'ambiguous-option',
      `\`--${name}\` is ambiguous (${res.candidates.map((c) => `--${c}`).join(', ')})`,
    );
    return { kind: 'skip' };
  }
  if (genericContext(s)) return { kind: 'generic', name };
  const mods = modulesProviding(name);
  const spec = ALL_OPTIONS.find((o) => o.long.includes(name));
  if (spec && mods.length) {
    report(s, 'error', 'match-needs-module', needsModuleMessage(name, mods));
    return withInline(spec);
  }
  const hint = closest(name, ALL_LONG_NAMES);
  report(s, 'error', 'unknown-option', `unknown option \`--${name}\`${hint ? ` — did you mean \`--${hint}\`?` : ''}`);
  return { kind: 'skip' };
}

function resolveToken(s: RuleState, tok: string): Resolved {
  if (tok.startsWith('--')) return resolveLongToken(s, tok);
  const letter = tok.charAt(1);
  const shortSpec = resolveShort(letter, [...COMMAND_OPTIONS, ...CORE_OPTIONS]);
  if (tok.length === 2) {
    if (shortSpec) return { kind: 'spec', spec: shortSpec };
    report(s, 'error', 'unknown-option', `unknown option \`${tok}\``);
    return { kind: 'skip' };
  }
  // `-icmp-type` is a classic slip: getopt would read it as `-i cmp-type`.
  const asLong = resolveLong(tok.slice(1), ALL_OPTIONS);
  if (asLong.kind === 'found' && (!asLong.abbreviated || tok.length > 4)) {
    report(
      s,
      'error',
      'single-dash-option',
      `\`${tok}\` is not an option; did you mean \`-${tok}\`? (long options take two dashes)`,
    );
    return resolveLongToken(s, `-${tok}`);
  }
  if (shortSpec && shortSpec.args > 0) {
    report(
      s,
      s.inFile ? 'error' : 'warning',
      'glued-option',
      `write \`-${letter} ${tok.slice(2)}\` with a space instead of \`${tok}\``,
    );
    return { kind: 'spec', spec: shortSpec, inline: tok.slice(2) };
  }
  report(s, 'error', 'unknown-option', `unknown option \`${tok}\``);
  return { kind: 'skip' };
}

/** Validators for values that are often glued to the next option (`--dport 80-j`). */
function valueIsValid(spec: OptionSpec, value: string): boolean | undefined {
  switch (spec.name) {
    case 'dport':
    case 'sport':
      return parsePortRange(value) !== undefined;
    case 'dports':
    case 'sports':
    case 'ports':
      return !('bad' in parsePortList(value));
    case 'protocol':
      return canonicalProtocol(value) !== undefined;
    case 'icmp-type':
      return canonicalIcmpType(value) !== undefined;
    default:
      return undefined;
  }
}

/** Splits `80-j` into `80` and `-j` when that is clearly what was meant. */
function unglue(s: RuleState, spec: OptionSpec, value: string): [string, string] | undefined {
  if (valueIsValid(spec, value) !== false) return undefined;
  const m = /^(.+?)(--?[A-Za-z][\w-]*)$/.exec(value);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  const [, head, tail] = m;
  if (valueIsValid(spec, head) !== true) return undefined;
  const tailOk = tail.startsWith('--')
    ? resolveLong(tail.slice(2), ALL_OPTIONS).kind === 'found'
    : resolveShort(tail.charAt(1), CORE_OPTIONS) !== undefined && tail.length === 2;
  if (!tailOk) return undefined;
  const what = spec.name.includes('port') ? 'a port' : `a valid ${spec.name} value`;
  report(s, 'error', 'value-glued-to-option', `\`${value}\` is not ${what}; put a space before ${tail}`);
  return [head, tail];
}

function collectGeneric(s: RuleState, name: string, queue: string[], negated: boolean): void {
  const args: string[] = [];
  while (queue[0] !== undefined && queue[0] !== '!' && !/^--?[A-Za-z]/.test(queue[0])) args.push(queue.shift() ?? '');
  const text = `${negated ? '! ' : ''}--${name}${args.map((a) => ` ${/\s/.test(a) ? JSON.stringify(a) : a}`).join('')}`;
  if (s.targetSeen) {
    s.rule.targetOptions[name] = args.join(' ');
    return;
  }
  // Append to this module's `-m name` entry so options stay grouped with their module.
  const other = s.rule.matches.other;
  const idx = other.map((o) => o.startsWith(`-m ${s.genericModule ?? ''}`)).lastIndexOf(true);
  if (idx >= 0) other[idx] = `${other[idx] ?? ''} ${text}`;
  else other.push(text);
}

/** Cross-option checks iptables performs once the whole line is read. */
function finalChecks(s: RuleState): void {
  const p = s.rule.protocol;
  for (const mod of ['tcp', 'udp', 'icmp', 'sctp', 'udplite', 'dccp']) {
    if (s.modules.includes(mod) && p !== mod)
      report(s, 'error', 'match-needs-module', `\`-m ${mod}\` needs \`-p ${mod}\``);
  }
  if (s.modules.includes('multiport') && (p === undefined || !PORT_PROTOCOLS.has(p))) {
    report(s, 'error', 'match-needs-module', '`-m multiport` needs `-p tcp` or `-p udp`');
  }
  if (s.rule.targetOptions['reject-with'] === 'tcp-reset' && p !== 'tcp') {
    report(s, 'error', 'bad-reject-with', '`--reject-with tcp-reset` only works with `-p tcp`');
  }
  for (const m of s.modules) {
    if (!KNOWN_MODULES.has(m) && m !== s.genericModule && !s.rule.matches.other.some((o) => o.startsWith(`-m ${m}`))) {
      s.rule.matches.other.push(`-m ${m}`);
    }
  }
}

export function parseRuleArgs(tokens: readonly string[], opts: { line?: number; inFile?: boolean } = {}): ParsedArgs {
  const s = createRuleState(opts.line ?? 0, opts.inFile ?? false);
  const queue = [...tokens];
  let negated = false;
  for (let tok = queue.shift(); tok !== undefined; tok = queue.shift()) {
    if (tok === '!') {
      if (negated) report(s, 'error', 'double-negation', 'two `!` in a row');
      negated = true;
      continue;
    }
    if (!/^--?[A-Za-z0-9]/.test(tok)) {
      report(s, 'error', 'unexpected-argument', `unexpected \`${tok}\` (bad argument)`);
      negated = false;
      continue;
    }
    const res = resolveToken(s, tok);
    if (res.kind === 'skip') {
      while (queue[0] !== undefined && queue[0] !== '!' && !queue[0].startsWith('-')) queue.shift();
    } else if (res.kind === 'generic') {
      collectGeneric(s, res.name, queue, negated);
    } else {
      const { spec } = res;
      if (negated && !spec.negatable) report(s, 'error', 'not-negatable', `\`${tok}\` cannot be negated with \`!\``);
      const args: string[] = res.inline === undefined ? [] : [res.inline];
      let oldStyle = false;
      while (args.length < spec.args) {
        const next = queue[0];
        if (next === '!' && spec.negatable && args.length === 0 && !oldStyle) {
          oldStyle = true;
          queue.shift();
          continue;
        }
        if (next === undefined) break;
        args.push(queue.shift() ?? '');
      }
      if (oldStyle) {
        report(
          s,
          'error',
          'deprecated-negation',
          `\`${tok} ! ${args[0] ?? ''}\` is the old negation syntax that current iptables rejects ("Bad argument"); write \`! ${tok} ${args[0] ?? ''}\``,
        );
      }
      if (args.length < spec.args) {
        const hint = spec.name === 'jump' ? ' (ACCEPT, DROP, REJECT or a chain name on the same line)' : '';
        report(s, 'error', 'missing-argument', `option \`${tok}\` requires an argument${hint}`);
      } else {
        const lastIdx = spec.args - 1;
        const split = lastIdx >= 0 ? unglue(s, spec, args[lastIdx] ?? '') : undefined;
        if (split) {
          args[lastIdx] = split[0];
          queue.unshift(split[1]);
        }
        applyOption(s, { spec, args, negated: negated || oldStyle }, queue);
      }
    }
    negated = false;
  }
  if (negated) report(s, 'error', 'unexpected-argument', 'a trailing `!` negates nothing');
  finalChecks(s);
  const { rule, rules } = finishRule(s);
  const out: ParsedArgs = { rule, rules, problems: s.problems };
  if (s.command) out.command = s.command;
  if (s.table !== undefined) out.table = s.table;
  return out;
}
