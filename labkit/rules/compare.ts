/** Semantic comparison of rules, chains and whole rulesets with student-readable differences. */
import { describeRule, ruleKey } from './format';
import { parseRulesFile } from './parse-file';
import type { ChainModel, Rule, RulesetModel, TableModel } from './types';

export function ruleEquals(a: Rule, b: Rule, opts: { ignoreChain?: boolean } = {}): boolean {
  const includeChain = !opts.ignoreChain;
  return ruleKey(a, { includeChain }) === ruleKey(b, { includeChain });
}

/** Same rules in the same order (chain names inside rules ignored); policy compared unless ignorePolicy. */
export function chainEquals(a: ChainModel, b: ChainModel, opts: { ignorePolicy?: boolean } = {}): boolean {
  if (!opts.ignorePolicy && a.policy !== b.policy) return false;
  if (a.rules.length !== b.rules.length) return false;
  return a.rules.every((r, i) => {
    const other = b.rules[i];
    return other !== undefined && ruleEquals(r, other, { ignoreChain: true });
  });
}

type Op = { kind: 'same'; e: number; f: number } | { kind: 'missing'; e: number } | { kind: 'extra'; f: number };

/** LCS alignment so one missing rule is reported once instead of shifting every later rule. */
function align(expected: string[], found: string[]): Op[] {
  const n = expected.length;
  const m = found.length;
  const dp: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = dp[i] ?? [];
      row[j] =
        expected[i] === found[j] ? (dp[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(dp[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && expected[i] === found[j]) ops.push({ kind: 'same', e: i++, f: j++ });
    else if (j < m && (i >= n || (dp[i]?.[j + 1] ?? 0) >= (dp[i + 1]?.[j] ?? 0))) ops.push({ kind: 'extra', f: j++ });
    else ops.push({ kind: 'missing', e: i++ });
  }
  return ops;
}

/** Differences between two chains' rule lists; rule numbers are 1-based like `iptables -L --line-numbers`. */
export function diffChainRules(name: string, expected: readonly Rule[], found: readonly Rule[]): string[] {
  const key = (r: Rule): string => ruleKey(r, { includeChain: false });
  const ops = align(expected.map(key), found.map(key));
  const out: string[] = [];
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k];
    const next = ops[k + 1];
    if (!op || op.kind === 'same') continue;
    // A missing rule next to an extra one reads better as "expected X, found Y".
    const pair = next && next.kind !== 'same' && next.kind !== op.kind ? next : undefined;
    const e = op.kind === 'missing' ? op : pair?.kind === 'missing' ? pair : undefined;
    const f = op.kind === 'extra' ? op : pair?.kind === 'extra' ? pair : undefined;
    const eRule = e ? expected[e.e] : undefined;
    const fRule = f ? found[f.f] : undefined;
    if (eRule && fRule && e && f) {
      out.push(
        `${name} rule ${e.e + 1}: expected \`${describeRule(eRule)}\`, found \`${describeRule(fRule)}\`${fRule.line ? ` (line ${fRule.line})` : ''}`,
      );
      k++;
    } else if (eRule && e) out.push(`${name} rule ${e.e + 1}: expected \`${describeRule(eRule)}\`, found nothing`);
    else if (fRule && f)
      out.push(
        `${name} rule ${f.f + 1}: unexpected \`${describeRule(fRule)}\`${fRule.line ? ` (line ${fRule.line})` : ''}`,
      );
  }
  return out;
}

export interface EquivalenceOptions {
  /** Table to compare (default 'filter'). */
  table?: string;
  /** Only compare these chains (default: all chains of either side). */
  chains?: readonly string[];
  /** Ignore built-in chain policies (default false). */
  ignorePolicies?: boolean;
  /**
   * By default a `found` ruleset with load errors is never equivalent (iptables-restore would load
   * nothing), even though the parser recovered the intended rules. Set true to compare intent only.
   */
  ignoreLoadErrors?: boolean;
}

export interface EquivalenceResult {
  equal: boolean;
  differences: string[];
}

function findTable(r: RulesetModel, name: string): TableModel | undefined {
  return r.tables.find((t) => t.name === name);
}

/**
 * Compares `expected` with `found` semantically (counters, comments, option order and aliases ignored).
 * Either side may be raw iptables-restore text.
 */
export function rulesetEquivalent(
  expected: RulesetModel | string,
  found: RulesetModel | string,
  opts: EquivalenceOptions = {},
): EquivalenceResult {
  const exp = typeof expected === 'string' ? parseRulesFile(expected) : expected;
  const got = typeof found === 'string' ? parseRulesFile(found) : found;
  const tableName = opts.table ?? 'filter';
  const te = findTable(exp, tableName);
  const tf = findTable(got, tableName);
  const differences: string[] = [];
  if (!opts.ignoreLoadErrors) {
    for (const p of got.problems) if (p.severity === 'error') differences.push(`would not load: ${p.message}`);
  }
  if (!te || !tf) {
    if (te && !tf) differences.push(`table ${tableName}: expected it, found nothing`);
    if (!te && tf) differences.push(`table ${tableName}: not expected, but found`);
    return { equal: differences.length === 0, differences };
  }
  const names = opts.chains ?? [...new Set([...te.chains, ...tf.chains].map((c) => c.name))];
  for (const name of names) {
    const ce = te.chains.find((c) => c.name === name);
    const cf = tf.chains.find((c) => c.name === name);
    if (!ce && !cf) continue;
    if (!cf) {
      differences.push(`chain ${name}: expected it, found nothing`);
      continue;
    }
    if (!ce) {
      differences.push(`chain ${name}: unexpected chain`);
      continue;
    }
    if (!opts.ignorePolicies && ce.policy !== cf.policy) {
      differences.push(`chain ${name}: expected policy ${ce.policy}, found ${cf.policy}`);
    }
    differences.push(...diffChainRules(name, ce.rules, cf.rules));
  }
  return { equal: differences.length === 0, differences };
}
