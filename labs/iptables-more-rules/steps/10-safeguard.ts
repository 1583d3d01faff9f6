import { clock } from '../../../labkit/journalEvidence';
import { stepText } from '../../../labkit/content';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { addrs, CHAIN } from '../machine1';
import { lockouts } from '../sshLockout';
import { NO_JOURNAL, sshBack, sshIn, sshOut } from './09-locked-out';

/** A restore this soon after the cut cannot be a timer a person could not stop. */
const MIN_TIMER_MS = 5_000;

/**
 * Latches. The host sees when ssh was cut and when it came back, never who brought it back; what
 * it can tell is that Machine 1's console reported no command in between (a hand at the console
 * would have) and that the cut lasted like a timer, not a reflex.
 */
export const safeguard: LabStep = {
  id: 'safeguard',
  ...stepText(new URL('./10-safeguard.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const a = addrs(ctx.view);
    if (!ctx.journal) return fail(NO_JOURNAL);
    const { found } = await lockouts(ctx.journal, a.m2);
    const ended = found.filter((l) => l.backAt !== undefined);
    const byItself = ended.filter((l) => l.console.length === 0 && (l.backAt ?? 0) - l.cutAt >= MIN_TIMER_MS).at(-1);
    if (!byItself) {
      const last = found.at(-1);
      if (last?.backAt === undefined && last)
        return fail(
          `Since ${clock(last.cutAt)} Machine 1 refuses ssh from Machine 2. If a safeguard is running, wait for its timeout; if none is, recover from Machine 1's console and try again with \`iptables-apply\`.`,
        );
      const byHand = ended.at(-1);
      if (byHand && byHand.console.length > 0)
        return fail(
          `ssh came back at ${clock(byHand.backAt ?? 0)}, but Machine 1's console ran \`${byHand.console.at(-1)?.commandLine ?? 'a command'}\` while it was cut, so the host cannot tell the safeguard did it. Log in from Machine 2 again, start the safeguard, cut ssh, and leave the console alone.`,
        );
      return fail(
        `The host has not seen ssh from Machine 2 cut and then restored on its own. From an ssh session on Machine 2, run \`iptables-apply -t 30 -c /root/cut-ssh\` (or start another timer first), then wait.`,
      );
    }
    const wrong = await sshBack(ctx);
    if (wrong) return wrong;
    return pass(
      `ssh was cut at ${clock(byItself.cutAt)} and came back at ${clock(byItself.backAt ?? 0)} with nobody at Machine 1's console: the safeguard you set up before the change undid it.`,
    );
  },
  async solve(ctx) {
    await sshIn(ctx);
    await ctx.typeLine(
      'machine2',
      `printf '#!/bin/sh\\niptables -I ${CHAIN} -p tcp --dport 22 -j REJECT\\n' > /root/cut-ssh && chmod +x /root/cut-ssh`,
    );
    const since = ctx.mark('machine2');
    await ctx.typeLine('machine2', 'iptables-apply -t 20 -c /root/cut-ssh');
    await ctx.waitFor('machine2', /Can you establish NEW connections/, { since, timeoutMs: 30_000 });
    await ctx.typeLine('machine2', 'y');
    await ctx.waitFor('machine2', /Reverting to old iptables rules/, { since, timeoutMs: 120_000 });
    await sshOut(ctx);
  },
};
