/**
 * The tables and chains of an iptables-restore file as it is read: `*table` opens one, `COMMIT`
 * closes it (adding the built-in chains it never named, checking its jump targets), `:CHAIN` declares.
 */
import { makeProblem } from './problems';
import { closest } from './suggest';
import { KNOWN_TARGETS } from './targets';
import type { ChainModel, Problem, TableModel } from './types';

export const BUILTIN_CHAINS: Readonly<Record<string, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** What reading a file has gathered so far. */
export interface FileReading {
  problems: Problem[];
  table?: TableModel;
  /** Line of the last rule whose -j had no argument (book-style line wrap). */
  danglingJumpLine?: number;
}

export function getChain(table: TableModel, name: string): ChainModel | undefined {
  return table.chains.find((c) => c.name === name);
}

export function addChain(table: TableModel, name: string, policy: string, line?: number): ChainModel {
  const builtin = (BUILTIN_CHAINS[table.name] ?? []).includes(name);
  const chain: ChainModel = { name, policy, builtin, rules: [] };
  if (line !== undefined) chain.line = line;
  table.chains.push(chain);
  return chain;
}

/** Jump targets must be built-in/extension targets or chains of the same table. */
function checkTargets(ctx: FileReading, table: TableModel): void {
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

export function closeTable(ctx: FileReading, atLine: number, committed: boolean): void {
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

export function openTable(ctx: FileReading, tables: TableModel[], name: string, line: number): void {
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

export function declareChain(ctx: FileReading, text: string, line: number): void {
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
