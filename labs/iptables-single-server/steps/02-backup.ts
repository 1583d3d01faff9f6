import { fail, pass, type LabStep } from '../../../labkit/types';
import { readFile, RULES_FILE } from '../machines';

/** Latches: later steps change the original on purpose, so the copy only matched it at the time. */
export const backup: LabStep = {
  id: 'backup',
  title: 'Back up the rules file',
  latching: 'latch',
  instructions: () => `Before you change anything, keep a dated copy of the rules file. On **Machine 1**:

\`\`\`machine1
cp -a /etc/sysconfig/iptables /etc/sysconfig/iptables-$(date +%Y-%m-%d)_BAK
\`\`\`

\`$(date +%Y-%m-%d)\` becomes today's date, so every backup you make on a new day gets its own name. The \`-a\` (archive) option keeps the owner, the permissions and the timestamps of the original.`,
  hints: () => [
    'The name must use the date as Machine 1 sees it: run `date +%Y-%m-%d` there.',
    "A copy made with `cat` or an editor gets the default permissions; `cp -a` keeps the original's `-rw-------`.",
  ],
  async check(ctx) {
    const today = (await ctx.sh('machine1', 'date +%Y-%m-%d')).stdout.trim();
    const name = `${RULES_FILE}-${today}_BAK`;
    const [copy, original] = await Promise.all([
      readFile(ctx, 'machine1', name),
      readFile(ctx, 'machine1', RULES_FILE),
    ]);
    if (!copy.exists) {
      const others = (await ctx.sh('machine1', `ls -1 ${RULES_FILE}-* 2>/dev/null`)).stdout
        .trim()
        .split('\n')
        .filter(Boolean);
      const seen = others.length ? ` I see ${others.map((o) => `\`${o}\``).join(', ')}, but` : '';
      return fail(
        `There is no \`${name}\` on Machine 1.${seen} the backup's name must carry today's date on Machine 1 (${today}).`,
      );
    }
    if (copy.text !== original.text)
      return fail(`\`${name}\` does not have the same content as \`${RULES_FILE}\`. Copy it again with \`cp -a\`.`);
    if (copy.mode !== original.mode) {
      return fail(
        `\`${name}\` has mode ${copy.mode}, but the original has ${original.mode}. \`cp -a\` keeps the mode; copy it again that way.`,
      );
    }
    return pass(`\`${name}\` is an exact copy, with the original's mode ${original.mode}.`);
  },
  async solve(ctx) {
    await ctx.sh('machine1', 'cp -a /etc/sysconfig/iptables /etc/sysconfig/iptables-$(date +%Y-%m-%d)_BAK');
  },
};
