import { stepText } from '../../../labkit/content';
import { fail, pass, type LabStep } from '../../../labkit/types';

const norm = (s: string | undefined): string => (s ?? '').trim().toLowerCase();
/**
 * A REJECT in the learner's words: "rejects", "refuses", "refused with host-prohibited"; not
 * "drops", which is a different target.
 */
const REJECTS = /\b(reject|refus|prohibit)|host[- ]prohibited/;

/** Latches: the answers were right once; nothing on the machines has to stay a certain way. */
export const tour: LabStep = {
  id: 'tour',
  ...stepText(new URL('./01-tour.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const jump = norm(ctx.answers.jump);
    const last = norm(ctx.answers.last);
    if (!jump || !last) return fail('Answer both questions below before checking.');
    if (!/\brh-firewall-1-input\b/.test(jump)) {
      if (/\binput\b/.test(jump))
        return fail('INPUT is where packets start. Which chain does its rule *jump* to? Look at its target column.');
      return fail(
        `"${ctx.answers.jump}" is not the chain INPUT jumps to. Look at the target column of the INPUT chain in \`iptables -L\`.`,
      );
    }
    if (/\b(accept|allow|drop)/.test(last) && !REJECTS.test(last)) {
      return fail('Look again at the last rule of RH-Firewall-1-INPUT: its target is not ACCEPT or DROP.');
    }
    if (!REJECTS.test(last))
      return fail(
        'Your second answer should name what the last rule does: read its target and its `reject-with` option.',
      );
    return pass(
      'Right: INPUT and FORWARD jump to RH-Firewall-1-INPUT, and its last rule REJECTs every packet that got that far (answering icmp-host-prohibited).',
    );
  },
  async solve(ctx) {
    await ctx.typeLine('machine1', 'service iptables status');
    await ctx.typeLine('machine1', 'iptables -L --line-numbers');
    await ctx.waitFor('machine1', /reject-with icmp-host-prohibited[\s\S]*reject-with icmp-host-prohibited/);
    ctx.answer('jump', 'RH-Firewall-1-INPUT');
    ctx.answer('last', 'It rejects everything else with icmp-host-prohibited');
  },
};
