import { parseRulesFile, rulesetEquivalent } from '../../../labkit/rules';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { BOOK_FILE, INTENDED_RULES } from '../bookFiles';
import { readFile, restoreTest } from '../machines';

/** Current state: the file must load and mean the right thing now. */
export const fixFile: LabStep = {
  id: 'fix-file',
  title: 'Fix the misprinted file',
  latching: 'current',
  instructions:
    () => `Printed listings pick up typos. \`${BOOK_FILE}\` on **Machine 1** is the chapter's rules file as it was printed, and it contains **three** mistakes: two that \`iptables-restore\` refuses, and one it loads happily although it does not do what was meant.

Find and fix all three in that file (leave \`/etc/sysconfig/iptables\` alone). \`iptables-restore\` can check a file without loading anything:

\`\`\`machine1
iptables-restore --test < ${BOOK_FILE}
\`\`\`

It stops at the first line it cannot parse; fix it and run the test again until it is silent. For the third mistake, compare the file with the rules you listed in the tour: which interface should the first rule of the chain accept?`,
  hints: () => [
    'Long options take two dashes, and an option and its value are separate words: `--dport 80 -j ACCEPT`.',
    'The first rule of the chain accepts everything on the loopback interface. Its name is `lo`: a lowercase L, not a capital T.',
  ],
  async check(ctx) {
    const file = await readFile(ctx, 'machine1', BOOK_FILE);
    if (!file.exists)
      return fail(
        `\`${BOOK_FILE}\` is missing on Machine 1. Reset the lab to get it back, or recreate it from the chapter.`,
      );
    const test = await restoreTest(ctx, BOOK_FILE);
    if (!test.ok)
      return fail(`\`iptables-restore\` still refuses the file: ${test.error.split('\n').slice(0, 2).join(' ')}`);
    const same = rulesetEquivalent(parseRulesFile(INTENDED_RULES), parseRulesFile(file.text));
    if (!same.equal) {
      const line = /\(line (\d+)\)/.exec(same.differences.join(' '))?.[1];
      return fail(
        line
          ? `The file loads now, but line ${line} still does not do what the chapter intended. Read that rule again.`
          : `The file loads now, but its rules differ from the chapter's: ${same.differences[0] ?? ''}.`,
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
