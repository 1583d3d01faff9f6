/** Parses one `iptables ...` command line (e.g. from a terminal transcript). */
import { parseRuleArgs } from './parse-args';
import { makeProblem, hasErrors } from './problems';
import type { CommandAction } from './rule-state';
import { tokenize } from './tokenize';
import type { Problem, Rule } from './types';

export interface RuleCommand {
  /** True when iptables would accept the command syntactically. */
  ok: boolean;
  /** 'iptables', 'ip6tables', ... as typed (after sudo/path stripping); undefined if absent. */
  program?: string;
  action?: CommandAction;
  table: string;
  chain?: string;
  /** -I/-R/-D rule number (1-based). For -I without a number iptables inserts at 1, so position is 1. */
  position?: number;
  /** -P policy target. */
  policy?: string;
  /** -E new chain name. */
  newName?: string;
  /** The rule for -A/-I/-D (by spec)/-R/-C; its `chain` is the command's chain. */
  rule?: Rule;
  /** `rule` expanded for comma-separated -s/-d (iptables adds one rule per combination). */
  rules: Rule[];
  problems: Problem[];
}

const PROGRAM = /(?:^|\/)(ip6?tables(?:-legacy|-nft)?)$/;
const RULE_ACTIONS = new Set<CommandAction>(['A', 'I', 'D', 'R', 'C']);

export function parseRuleCommand(argv: string | readonly string[]): RuleCommand {
  let text = typeof argv === 'string' ? argv.trim() : '';
  // Transcripts often include the prompt: "# iptables ..." or "$ sudo iptables ...".
  if (typeof argv === 'string') text = text.replace(/^[#$]\s+/, '');
  const problems: Problem[] = [];
  let tokens: string[];
  if (typeof argv === 'string') {
    const t = tokenize(text, 'shell');
    tokens = t.tokens;
    if (t.unterminatedQuote) problems.push(makeProblem(0, 'error', 'unterminated-quote', 'unterminated quote'));
  } else tokens = [...argv];
  while (tokens[0] !== undefined && (tokens[0] === 'sudo' || /^[A-Za-z_]\w*=/.test(tokens[0]))) tokens.shift();
  let program: string | undefined;
  const first = tokens[0];
  if (first !== undefined) {
    const m = PROGRAM.exec(first);
    if (m) {
      program = m[1];
      tokens.shift();
    }
  }
  const parsed = parseRuleArgs(tokens, { inFile: false });
  problems.push(...parsed.problems);
  const cmd = parsed.command;
  if (!cmd) problems.push(makeProblem(0, 'error', 'missing-command', 'no command given (-A, -I, -D, -P, ...)'));
  else if (cmd.chain === undefined && !['L', 'S', 'F', 'Z', 'X'].includes(cmd.action)) {
    problems.push(makeProblem(0, 'error', 'missing-chain', `-${cmd.action} needs a chain name`));
  }
  const out: RuleCommand = { ok: !hasErrors(problems), table: parsed.table ?? 'filter', rules: [], problems };
  if (program !== undefined) out.program = program;
  if (cmd) {
    out.action = cmd.action;
    if (cmd.chain !== undefined) out.chain = cmd.chain;
    if (cmd.policy !== undefined) out.policy = cmd.policy;
    if (cmd.newName !== undefined) out.newName = cmd.newName;
    const position = cmd.position ?? (cmd.action === 'I' ? 1 : undefined);
    if (position !== undefined) out.position = position;
    // `-D CHAIN 3` deletes by number: there is no rule spec.
    const byNumber = cmd.action === 'D' && cmd.position !== undefined;
    if (RULE_ACTIONS.has(cmd.action) && !byNumber) {
      const raw = typeof argv === 'string' ? text : argv.join(' ');
      for (const r of parsed.rules) {
        r.raw = raw;
        if (!out.ok) r.valid = false;
      }
      out.rules = parsed.rules;
      out.rule = parsed.rule;
    }
  }
  return out;
}
