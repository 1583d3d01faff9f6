import { stepText } from '../../../labkit/content';
import { parseRulesFile, rulesetEquivalent } from '../../../labkit/rules';
import { fail, inconclusive, pass, type LabStep } from '../../../labkit/types';
import { icmpVerdict } from '../icmp';
import { addrs, FIREWALL_DOWN, liveRules, readFile, RULES_FILE, runningChain } from '../machines';
import { pingRunMismatch, watchedReplies } from '../pingWatch';
import { couldNotTest, describePing, probePing } from '../../../labkit/probes';
import { fileView, LIVE } from '../ruleWhere';
import { BAK } from './04-icmp-off';
import { icmpOnFromJournal } from '../journalPing';

/** Latches: the next step replaces this very rule with a DROP. */
export const icmpOn: LabStep = {
  id: 'icmp-on',
  ...stepText(new URL('./05-icmp-on.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const a = addrs(ctx.view);
    const [bak, file] = await Promise.all([readFile(ctx, 'machine1', BAK), readFile(ctx, 'machine1', RULES_FILE)]);
    if (!bak.exists)
      return fail(
        `\`${BAK}\` is missing on Machine 1; it is the copy this step restores from (see the previous step).`,
      );
    const same = rulesetEquivalent(parseRulesFile(bak.text), parseRulesFile(file.text));
    if (!same.equal) {
      const inFile = icmpVerdict(parseRulesFile(file.text), fileView(RULES_FILE), a.m2);
      if (inFile.verdict !== 'ACCEPT')
        return fail(
          `\`${RULES_FILE}\` still does not accept ICMP: remove the \`#\` in front of the ICMP rule (or copy \`${BAK}\` back).`,
        );
      return fail(`\`${RULES_FILE}\` does not match \`${BAK}\` yet: ${same.differences[0] ?? ''}.`);
    }
    if (ctx.journal) {
      const live = await liveRules(ctx);
      if (!runningChain(live)) return fail(FIREWALL_DOWN);
      const running = icmpVerdict(live, LIVE, a.m2);
      if (running.verdict !== 'ACCEPT')
        return fail(
          `The file is restored, but the running firewall still ${running.verdict === 'DROP' ? 'drops' : 'rejects'} ping with ${running.decidedBy}. Restart iptables on Machine 1.`,
        );
      const seen = await icmpOnFromJournal(ctx, ctx.journal);
      return seen.passed ? pass(`${seen.message} Your rules file matches the backup.`) : fail(seen.message);
    }
    // Without a journal: transcript and counters first; our own probe last so it never counts as the learner's ping.
    const watched = watchedReplies(ctx);
    const live = await liveRules(ctx);
    const chain = runningChain(live);
    if (!chain) return fail(FIREWALL_DOWN);
    const running = icmpVerdict(live, LIVE, a.m2);
    if (running.verdict !== 'ACCEPT')
      return fail(
        `The file is restored, but the running firewall still ${running.verdict === 'DROP' ? 'drops' : 'rejects'} ping with ${running.decidedBy}. Restart iptables on Machine 1.`,
      );
    if (!watched)
      return fail(
        `Machine 1's firewall accepts ping again. Now watch it: run \`ping -c 3 ${a.m1}\` in Machine 2's terminal and see the replies come back.`,
      );
    const accepted = running.index === undefined ? 0 : (chain.rules[running.index]?.counters?.packets ?? 0);
    if (accepted < watched.replies) {
      return fail(
        `${watched.where}'s last ping shows ${watched.replies} replies, but Machine 1's ICMP rule has accepted only ${accepted} packets since the firewall was last (re)started. ` +
          `Ping again from ${watched.where} now that the rule is back.`,
      );
    }
    const mismatch = await pingRunMismatch(ctx, watched.run, watched.machineId, watched.where);
    if (mismatch) return fail(mismatch);
    const probe = await probePing(ctx, { from: 'machine2', to: a.m1, expected: 'reply' });
    if (probe === 'unknown') return inconclusive(couldNotTest('a ping from Machine 2'));
    if (probe !== 'reply') return fail(`A ping from Machine 2 ${describePing[probe]}; it should get a reply.`);
    return pass(
      `You watched Machine 1 answer ${watched.where}'s ping again (${watched.replies} replies, counted by the restored ICMP rule), and its rules file matches the backup.`,
    );
  },
  async solve(ctx) {
    await ctx.sh(
      'machine1',
      `sed -i 's/^#\\s*\\(-A RH-Firewall-1-INPUT -p icmp\\)/\\1/' ${RULES_FILE} && service iptables restart`,
    );
    await ctx.run('machine2', `ping -c 3 -i 0.3 -W 2 ${addrs(ctx.view).m1}`);
  },
};
