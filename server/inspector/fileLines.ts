/** Which line of the rules file each running rule came from: same chain, same meaning, in order. */
import { ruleKey, type RulesetModel } from '../../labkit/rules';

/** Keyed by chain name: for each running rule (by index), the file line or undefined. */
export type LineMap = Map<string, (number | undefined)[]>;

export function matchFileLines(
  live: RulesetModel,
  file: RulesetModel | undefined,
  table = 'filter',
): { lines: LineMap; unused: number[] } {
  const lines: LineMap = new Map();
  const liveTable = live.tables.find((t) => t.name === table);
  const fileTable = file?.tables.find((t) => t.name === table);
  const used = new Set<number>();
  for (const chain of liveTable?.chains ?? []) {
    const candidates = fileTable?.chains.find((c) => c.name === chain.name)?.rules ?? [];
    const keys = candidates.map((r) => ruleKey(r, { includeChain: false }));
    let from = 0;
    const out = chain.rules.map((rule) => {
      const key = ruleKey(rule, { includeChain: false });
      // Prefer the next match after the previous one, so duplicates map to their own lines.
      let at = keys.findIndex((k, i) => i >= from && k === key && !used.has(i));
      if (at < 0) at = keys.findIndex((k, i) => k === key && !used.has(i));
      if (at < 0) return undefined;
      used.add(at);
      from = at + 1;
      return candidates[at]?.line;
    });
    // `used` holds indexes per chain; reset between chains.
    used.clear();
    lines.set(chain.name, out);
  }
  const matched = new Set([...lines.values()].flat().filter((n): n is number => n !== undefined));
  const unused = (fileTable?.chains ?? [])
    .flatMap((c) => c.rules)
    .map((r) => r.line)
    .filter((n): n is number => n !== undefined && !matched.has(n));
  return { lines, unused };
}
