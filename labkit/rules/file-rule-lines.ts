/** The rule lines of an iptables-restore file (`[p:b] -A CHAIN …`), and the chains they land in. */
import { parseRuleArgs } from './parse-args';
import { hasErrors, makeProblem } from './problems';
import { closest } from './suggest';
import { tokenize } from './tokenize';
import { addChain, BUILTIN_CHAINS, getChain, type FileReading } from './file-tables';
import type { Problem, Rule } from './types';

const COUNTERS = /^\[(\d+):(\d+)\]\s*/;

export function parseRuleLine(
  text: string,
  line: number,
): { rules: Rule[]; problems: Problem[]; position?: number; action?: string; chain: string } {
  const counters = COUNTERS.exec(text);
  const body = counters ? text.slice(counters[0].length) : text;
  const tok = tokenize(body, 'restore');
  const parsed = parseRuleArgs(tok.tokens, { line, inFile: true });
  const problems = parsed.problems;
  if (tok.unterminatedQuote)
    problems.push(makeProblem(line, 'error', 'unterminated-quote', 'unterminated double quote'));
  if (tok.singleQuoted)
    problems.push(
      makeProblem(
        line,
        'error',
        'single-quotes',
        'iptables-restore does not understand single quotes; use double quotes',
      ),
    );
  const action = parsed.command?.action;
  if (action === undefined)
    problems.push(makeProblem(line, 'error', 'missing-command', 'rule line must start with -A CHAIN'));
  else if (action !== 'A' && action !== 'I')
    problems.push(
      makeProblem(line, 'error', 'unsupported-command', `-${action} is not supported in a rules file (use -A)`),
    );
  const chain = parsed.command?.chain ?? '';
  for (const r of parsed.rules) {
    r.line = line;
    r.raw = text;
    if (counters) r.counters = { packets: Number(counters[1]), bytes: Number(counters[2]) };
    if (hasErrors(problems)) r.valid = false;
  }
  const out: { rules: Rule[]; problems: Problem[]; position?: number; action?: string; chain: string } = {
    rules: parsed.rules,
    problems,
    chain,
  };
  if (parsed.command?.position !== undefined) out.position = parsed.command.position;
  if (action !== undefined) out.action = action;
  return out;
}

export function addRules(ctx: FileReading, text: string, line: number): void {
  const parsed = parseRuleLine(text, line);
  ctx.problems.push(...parsed.problems);
  if (parsed.problems.some((p) => p.code === 'missing-argument' && p.message.includes('`-j`')))
    ctx.danglingJumpLine = line;
  const table = ctx.table;
  if (!table)
    return void ctx.problems.push(
      makeProblem(line, 'error', 'rule-outside-table', 'rule before any `*table` line (add `*filter` at the top)'),
    );
  if (parsed.chain === '') return;
  let chain = getChain(table, parsed.chain);
  if (!chain) {
    const builtin = (BUILTIN_CHAINS[table.name] ?? []).includes(parsed.chain);
    if (!builtin) {
      const hint = closest(
        parsed.chain,
        table.chains.map((c) => c.name),
      );
      ctx.problems.push(
        makeProblem(
          line,
          'error',
          'undeclared-chain',
          `chain \`${parsed.chain}\` was never declared${hint ? ` — did you mean ${hint}?` : ` (add \`:${parsed.chain} - [0:0]\`)`}`,
        ),
      );
      for (const r of parsed.rules) r.valid = false;
    }
    chain = addChain(table, parsed.chain, builtin ? 'ACCEPT' : '-');
  }
  if (parsed.action === 'I') {
    const pos = parsed.position ?? 1;
    if (pos > chain.rules.length + 1) {
      ctx.problems.push(
        makeProblem(
          line,
          'error',
          'bad-position',
          `cannot insert at position ${pos}: ${chain.name} has only ${chain.rules.length} rules`,
        ),
      );
    }
    chain.rules.splice(Math.min(pos, chain.rules.length + 1) - 1, 0, ...parsed.rules);
  } else chain.rules.push(...parsed.rules);
}
