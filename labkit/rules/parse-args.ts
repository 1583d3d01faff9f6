/**
 * Walks the words of one iptables command / restore line and builds a Rule.
 * Never throws: every oddity becomes a Problem and parsing continues with a best guess,
 * so checkers can still see what the student meant.
 */
import { applyOption, KNOWN_MODULES } from './apply-option';
import { unglue } from './glued-value';
import { PORT_PROTOCOLS } from './protocols';
import { resolveToken } from './resolve-option';
import { createRuleState, finishRule, report, type CommandInfo, type RuleState } from './rule-state';
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
