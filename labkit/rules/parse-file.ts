/**
 * Parser for iptables-restore files (/etc/sysconfig/iptables, `iptables-save [-c]` output).
 * Mirrors iptables-restore's rules closely enough to tell a student *why* a file would not load,
 * but never throws: the returned model is a best effort plus a list of problems.
 */
import { closeTable, declareChain, openTable, type FileReading } from './file-tables';
import { addRules, parseRuleLine } from './file-rule-lines';
import { hasErrors, makeProblem } from './problems';
import type { CommentedRule, RulesetModel, TableModel } from './types';

const COMMENTED_RULE = /^#+\s*((?:\[\d+:\d+\]\s*)?(?:-A|--append|-I|--insert)\s.*)$/;

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
  const ctx: FileReading = { problems: [] };
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
