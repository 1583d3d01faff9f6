/**
 * Parser for iptables-restore files (/etc/sysconfig/iptables, `iptables-save [-c]` output).
 * Mirrors iptables-restore's rules closely enough to tell a student *why* a file would not load,
 * but never throws: the returned model is a best effort plus a list of problems.
 */
import { parseRuleArgs } from './parse-args';
import { hasErrors, makeProblem } from './problems';
import { closest } from './suggest';
import { KNOWN_TARGETS } from './targets';
import { tokenize } from './tokenize';
import type { ChainModel, CommentedRule, Problem, Rule, RulesetModel, TableModel } from './types';

export const BUILTIN_CHAINS: Readonly<Record<string, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

const COMMENTED_RULE = /^#+\s*((?:\[\d+:\d+\]\s*)?(?:-A|--append|-I|--insert)\s.*)$/;
const COUNTERS = /^\[(\d+):(\d+)\]\s*/;

interface Ctx {
  problems: Problem[];
  table?: TableModel;
  /** Line of the last rule whose -j had no argument (book-style line wrap). */
  danglingJumpLine?: number;
}

function getChain(table: TableModel, name: string): ChainModel | undefined {
  return table.chains.find((c) => c.name === name);
}

function addChain(table: TableModel, name: string, policy: string, line?: number): ChainModel {
  const builtin = (BUILTIN_CHAINS[table.name] ?? []).includes(name);
  const chain: ChainModel = { name, policy, builtin, rules: [] };
  if (line !== undefined) chain.line = line;
  table.chains.push(chain);
  return chain;
}

/** Jump targets must be built-in/extension targets or chains of the same table. */
function checkTargets(ctx: Ctx, table: TableModel): void {
  const chainNames = table.chains.map((c) => c.name);
  for (const rule of table.chains.flatMap((c) => c.rules)) {
    const t = rule.target;
    if (t === undefined || KNOWN_TARGETS.has(t) || chainNames.includes(t)) continue;
    if (KNOWN_TARGETS.has(t.toUpperCase())) continue; // already reported as a case error
    const hint = closest(t, [...chainNames, ...KNOWN_TARGETS]);
    ctx.problems.push(
      makeProblem(
        rule.line ?? 0,
        'error',
        'unknown-target',
        `chain or target \`${t}\` does not exist${hint ? ` — did you mean ${hint}?` : ''}`,
      ),
    );
    rule.valid = false;
  }
}

function closeTable(ctx: Ctx, atLine: number, committed: boolean): void {
  const table = ctx.table;
  if (!table) return;
  if (!committed) {
    ctx.problems.push(
      makeProblem(
        atLine,
        'error',
        'missing-commit',
        `table \`${table.name}\` (opened on line ${table.line}) has no COMMIT; without it iptables-restore loads nothing`,
      ),
    );
  }
  table.hasCommit = committed;
  for (const name of BUILTIN_CHAINS[table.name] ?? []) if (!getChain(table, name)) addChain(table, name, 'ACCEPT');
  checkTargets(ctx, table);
  delete ctx.table;
}

function openTable(ctx: Ctx, tables: TableModel[], name: string, line: number): void {
  closeTable(ctx, line, false);
  if (!BUILTIN_CHAINS[name]) {
    const hint = closest(name, Object.keys(BUILTIN_CHAINS));
    ctx.problems.push(
      makeProblem(
        line,
        'error',
        'unknown-table',
        `unknown table \`${name}\`${hint ? ` — did you mean *${hint}?` : ''}`,
      ),
    );
  }
  if (tables.some((t) => t.name === name)) {
    ctx.problems.push(
      makeProblem(
        line,
        'warning',
        'duplicate-table',
        `table \`${name}\` appears twice; the second block replaces the first`,
      ),
    );
  }
  const table: TableModel = { name, line, hasCommit: false, chains: [] };
  tables.push(table);
  ctx.table = table;
}

function declareChain(ctx: Ctx, text: string, line: number): void {
  const m = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?\s*$/.exec(text);
  if (!ctx.table)
    return void ctx.problems.push(
      makeProblem(line, 'error', 'chain-outside-table', 'chain declaration before any `*table` line'),
    );
  if (!m || m[1] === undefined || m[2] === undefined) {
    return void ctx.problems.push(
      makeProblem(
        line,
        'error',
        'bad-chain-declaration',
        `bad chain line \`${text}\` (expected \`:NAME POLICY [packets:bytes]\`)`,
      ),
    );
  }
  const [, name, policy] = m;
  const builtin = (BUILTIN_CHAINS[ctx.table.name] ?? []).includes(name);
  if (builtin && policy !== 'ACCEPT' && policy !== 'DROP') {
    ctx.problems.push(
      makeProblem(
        line,
        'error',
        'bad-chain-declaration',
        `built-in chain ${name} needs policy ACCEPT or DROP, not \`${policy}\``,
      ),
    );
  }
  const chain = getChain(ctx.table, name) ?? addChain(ctx.table, name, policy, line);
  chain.policy = policy;
  chain.line = line;
  if (m[3] !== undefined && m[4] !== undefined) chain.counters = { packets: Number(m[3]), bytes: Number(m[4]) };
}

function parseRuleLine(
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

function addRules(ctx: Ctx, text: string, line: number): void {
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

function parseCommented(text: string, line: number): CommentedRule | undefined {
  const m = COMMENTED_RULE.exec(text);
  if (!m || m[1] === undefined) return undefined;
  const parsed = parseRuleLine(m[1].trim(), line);
  const rule = parsed.rules[0];
  return rule ? { line, text, rule, problems: parsed.problems } : undefined;
}

export function parseRulesFile(text: string): RulesetModel {
  const tables: TableModel[] = [];
  const commentedRules: CommentedRule[] = [];
  const ctx: Ctx = { problems: [] };
  const lines = text.split(/\r?\n/);
  let lastLine = 0;
  lines.forEach((rawLine, i) => {
    const line = i + 1;
    const t = rawLine.trim();
    if (t === '') return;
    lastLine = line;
    const dangling = ctx.danglingJumpLine;
    delete ctx.danglingJumpLine;
    if (t.startsWith('#')) {
      const c = parseCommented(t, line);
      if (c) commentedRules.push(c);
    } else if (t.startsWith('*')) openTable(ctx, tables, t.slice(1).trim(), line);
    else if (t === 'COMMIT') {
      if (ctx.table) closeTable(ctx, line, true);
      else
        ctx.problems.push(
          makeProblem(line, 'error', 'commit-outside-table', 'COMMIT without a `*table` line before it'),
        );
    } else if (t.startsWith(':')) declareChain(ctx, t, line);
    else if (t.startsWith('-') || t.startsWith('[')) addRules(ctx, t, line);
    else {
      const hint =
        t.toUpperCase() === 'COMMIT'
          ? ' — COMMIT must be uppercase'
          : dangling !== undefined
            ? ` — looks like the end of line ${dangling}; each rule must be on a single line`
            : '';
      ctx.problems.push(makeProblem(line, 'error', 'unrecognised-line', `cannot understand \`${t}\`${hint}`));
    }
  });
  closeTable(ctx, lastLine, false);
  return { tables, commentedRules, problems: ctx.problems, ok: !hasErrors(ctx.problems) };
}
