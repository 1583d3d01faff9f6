import { stepText } from '../../../labkit/content';
import { fail, pass, type CheckContext, type LabStep } from '../../../labkit/types';
import { SHIPPED_RULES } from '../bookFiles';
import { readFile, RULES_FILE } from '../machines';

const SHIPPED_MODE = '600';

/** Names a learner might have used instead: a different case, separator or extension. */
const nearMisses = (date: string): string[] =>
  [`${date}.bak`, `${date}.BAK`, `${date}_bak`, `${date}-BAK`, `${date}-bak`, `${date}.Bak`, `${date}BAK`]
    .map((s) => `${RULES_FILE}-${s}`)
    .concat(`${RULES_FILE}_${date}_BAK`);

/** Dates (UTC, the machines' clock) from the lab's start until today: a lab may run past midnight. */
function labDates(ctx: CheckContext): string[] {
  const dates: string[] = [];
  const day = 24 * 3600 * 1000;
  for (let t = Date.now(); dates.length < 3; t -= day) {
    dates.push(new Date(t).toISOString().slice(0, 10));
    if (t < ctx.lab.createdAt) break;
  }
  return dates;
}

/** Latches: later steps change the original on purpose, so the copy only matched it at the time. */
export const backup: LabStep = {
  id: 'backup',
  ...stepText(new URL('./02-backup.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const dates = labDates(ctx);
    const today = dates[0] ?? '';
    const copies = await Promise.all(
      dates.map(async (d) => ({
        name: `${RULES_FILE}-${d}_BAK`,
        file: await readFile(ctx, 'machine1', `${RULES_FILE}-${d}_BAK`),
      })),
    );
    const found = copies.find((c) => c.file.exists);
    if (!found) {
      const near = (
        await Promise.all(
          dates.flatMap(nearMisses).map(async (n) => ((await readFile(ctx, 'machine1', n)).exists ? n : undefined)),
        )
      ).filter(Boolean);
      const expected = `${RULES_FILE}-${today}_BAK`;
      if (near.length > 0) {
        return fail(
          `I see \`${near[0] ?? ''}\`, but this step looks for exactly \`${expected}\`: the date, an underscore, then \`BAK\` in capitals, as the instructions write it. Rename it with \`mv ${near[0] ?? ''} ${expected}\`.`,
        );
      }
      return fail(
        `There is no \`${expected}\` on Machine 1. The backup's name must carry today's date on Machine 1 (${today}).`,
      );
    }
    const { name, file: copy } = found;
    if (copy.text !== SHIPPED_RULES) {
      const current = await readFile(ctx, 'machine1', RULES_FILE);
      if (current.text === copy.text) {
        return fail(
          `\`${name}\` is a copy of \`${RULES_FILE}\` as it is *now*, but that file has been changed since the lab started, so this is not a backup of the original. ` +
            'Undo your change (or reset the lab), then copy the file again with `cp -a`.',
        );
      }
      return fail(`\`${name}\` is not an exact copy of the original \`${RULES_FILE}\`. Copy it again with \`cp -a\`.`);
    }
    if (copy.mode !== SHIPPED_MODE) {
      return fail(
        `\`${name}\` has mode ${copy.mode}, but the original has ${SHIPPED_MODE}. \`cp -a\` keeps the mode; copy it again that way.`,
      );
    }
    return pass(`\`${name}\` is an exact copy of the original rules file, with its mode ${SHIPPED_MODE}.`);
  },
  async solve(ctx) {
    await ctx.sh('machine1', 'cp -a /etc/sysconfig/iptables /etc/sysconfig/iptables-$(date +%Y-%m-%d)_BAK');
  },
};
