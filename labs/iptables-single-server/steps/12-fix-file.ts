import { stepText } from '../../../labkit/content';
import { describeRule, getChain, parseRulesFile, ruleKey, rulesetEquivalent, type Rule } from '../../../labkit/rules';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { BOOK_FILE, INTENDED_RULES } from '../bookFiles';
import { CHAIN, readFile, restoreTest } from '../machines';
import { fileView, ruleAt } from '../ruleWhere';

const LOOPBACK_RULE = '-i lo -j ACCEPT';

/** What is wrong with the chain's first rule, which the book misprinted as `-i To`. */
function loopbackProblem(rule: Rule | undefined, where: string): string | undefined {
  if (!rule || rule.target !== 'ACCEPT') return undefined;
  const iface = rule.inInterface;
  const shown = `\`${describeRule(rule)}\` (${where})`;
  if (iface === 'lo' && !rule.negated.inInterface) return undefined;
  if (iface === undefined) {
    return `The file loads now, but ${shown} accepts every packet from anywhere: it lost its interface. The chapter's first rule accepts only the loopback interface: \`${LOOPBACK_RULE}\`.`;
  }
  if (/^to$/i.test(iface)) {
    return `The file loads now, but ${shown} still names an interface called \`${iface}\`, which does not exist, so the rule never matches. The loopback interface is \`lo\`: a lowercase L and an O.`;
  }
  return `The file loads now, but ${shown} accepts everything arriving on \`${iface}\`. The chapter's first rule trusts only the machine's own loopback interface, \`lo\`: \`${LOOPBACK_RULE}\`.`;
}

/** Current state: the file must load and mean the right thing now. */
export const fixFile: LabStep = {
  id: 'fix-file',
  ...stepText(new URL('./12-fix-file.md', import.meta.url)),
  latching: 'current',
  async check(ctx) {
    const file = await readFile(ctx, 'machine1', BOOK_FILE);
    if (!file.exists)
      return fail(
        `\`${BOOK_FILE}\` is missing on Machine 1. Reset the lab to get it back, or recreate it from the chapter.`,
      );
    const test = await restoreTest(ctx, BOOK_FILE);
    if (!test.ok)
      return fail(`\`iptables-restore\` still refuses the file: ${test.error.split('\n').slice(0, 2).join(' ')}`);
    const model = parseRulesFile(file.text);
    const intended = parseRulesFile(INTENDED_RULES);
    const same = rulesetEquivalent(intended, model);
    if (!same.equal) {
      const chain = getChain(model, CHAIN);
      const expected = getChain(intended, CHAIN)?.rules ?? [];
      const firstRule = chain?.rules[0];
      const loopback = loopbackProblem(firstRule, ruleAt(fileView(BOOK_FILE), CHAIN, 0, firstRule));
      if (loopback) return fail(loopback);
      const index =
        chain?.rules.findIndex(
          (r, i) =>
            ruleKey(r, { includeChain: false }) !==
            (expected[i] ? ruleKey(expected[i], { includeChain: false }) : undefined),
        ) ?? -1;
      const wrong = index >= 0 ? chain?.rules[index] : undefined;
      if (wrong && chain && chain.rules.length === expected.length) {
        return fail(
          `The file loads now, but ${ruleAt(fileView(BOOK_FILE), CHAIN, index, wrong)} (\`${describeRule(wrong)}\`) still does not do what the chapter intended. Read that rule again.`,
        );
      }
      return fail(
        `The file loads now, but its rules differ from the chapter's: ${same.differences[0] ?? ''}. ` +
          "Fix the three misprints in the book's file; every other line stays as printed (a copy of your own, changed rules file will not match the book).",
      );
    }
    return pass("The file loads cleanly and its rules are exactly the chapter's intended ones.");
  },
  async solve(ctx) {
    await ctx.sh(
      'machine1',
      `sed -i -e 's/-i To /-i lo /' -e 's/ -icmp-type / --icmp-type /' -e 's/--dport \\([0-9]*\\)-j/--dport \\1 -j/' ${BOOK_FILE}`,
    );
  },
};
