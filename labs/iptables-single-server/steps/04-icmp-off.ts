import { stepText } from '../../../labkit/content';
import { indexOfFinalReject, parseRulesFile } from '../../../labkit/rules';
import type { PingEvidence } from '../../../labkit/pingEvidence';
import { fail, inconclusive, pass, type CheckContext, type CheckResult, type LabStep } from '../../../labkit/types';
import { icmpVerdict } from '../icmp';
import { addrs, FIREWALL_DOWN, liveRules, readFile, RULES_FILE, runningChain } from '../machines';
import { watchedTransition } from '../pingWatch';
import { couldNotTest, probePing } from '../../../labkit/probes';
import { fileView, LIVE } from '../ruleWhere';
import { icmpOffFromJournal } from '../journalPing';

export const BAK = '/etc/sysconfig/iptables-BAK';

const evidenceMessage = (where: string): Record<Exclude<PingEvidence, { found: true }>['reason'], string> => ({
  'no-ping':
    "Machine 2's terminal shows no ping to Machine 1 yet. Start `ping` there and keep it running while you restart iptables on Machine 1.",
  'printed-by-other-command':
    'The "Destination Host Prohibited" lines must come from a real `ping` to Machine 1, typed in Machine 2\'s terminal, not from another command.',
  shadowed: `In ${where}'s terminal \`ping\` is a shell function or alias, not the ping program. Remove it (\`unset -f ping\` or \`unalias ping\`) and ping again.`,
  'only-replies': `${where}'s ping only shows replies so far. Keep it running, restart iptables on Machine 1, and watch the replies turn into errors.`,
  'only-errors': `${where}'s ping shows only errors: start the ping *before* you restart iptables, so one run shows the replies turning into errors.`,
  'separate-runs': `You saw replies and errors, but in separate ping runs. Keep one ping running on ${where} while you restart iptables on Machine 1.`,
  'not-consecutive':
    'Your ping shows replies and errors, but not one right after the other (consecutive icmp_seq). Run one ping across the restart.',
});

/** Latches: this is an observation; step 5 puts the rule back on purpose. */
export const icmpOff: LabStep = {
  id: 'icmp-off',
  ...stepText(new URL('./04-icmp-off.md', import.meta.url)),
  latching: 'latch',
  check: checkIcmpOff,
  async solve(ctx) {
    const m1 = addrs(ctx.view).m1;
    await ctx.sh('machine1', `cp -a ${RULES_FILE} ${BAK} && service iptables start`);
    await ctx.sh('machine1', `sed -i 's/^-A RH-Firewall-1-INPUT -p icmp/#&/' ${RULES_FILE}`);
    const since = ctx.mark('machine2');
    await ctx.typeLine('machine2', `ping ${m1}`);
    await ctx.waitFor('machine2', /bytes from[\s\S]*bytes from/, { since });
    await ctx.sh('machine1', 'service iptables restart');
    await ctx.waitFor('machine2', /Destination Host Prohibited[\s\S]*Destination Host Prohibited/, { since });
    await ctx.terminals.type('machine2', '\x03');
    await ctx.waitFor('machine2', /packet loss/, { since });
  },
};

async function checkIcmpOff(ctx: CheckContext): Promise<CheckResult> {
  const a = addrs(ctx.view);
  const [bak, file] = await Promise.all([readFile(ctx, 'machine1', BAK), readFile(ctx, 'machine1', RULES_FILE)]);
  if (!bak.exists) return fail(`Keep a copy of the rules first: \`${BAK}\` does not exist on Machine 1.`);
  if (icmpVerdict(parseRulesFile(bak.text), fileView(BAK), a.m2).verdict !== 'ACCEPT') {
    return fail(
      `\`${BAK}\` should be a copy of the original file, with its ICMP rule still active. Restore it from your dated backup.`,
    );
  }
  const model = parseRulesFile(file.text);
  const inFile = icmpVerdict(model, fileView(RULES_FILE), a.m2);
  if (inFile.verdict === 'ACCEPT') {
    return fail(
      `Your file still accepts ICMP with ${inFile.decidedBy}: comment that line out with a \`#\` at its start.`,
    );
  }
  const loadError = model.problems.find((p) => p.severity === 'error');
  if (loadError)
    return fail(
      `\`${RULES_FILE}\` would not load any more: ${loadError.message}. Only put a \`#\` in front of the ICMP line.`,
    );

  if (ctx.journal) {
    const live = await liveRules(ctx);
    if (!runningChain(live)) return fail(FIREWALL_DOWN);
    const running = icmpVerdict(live, LIVE, a.m2);
    if (running.verdict === 'ACCEPT')
      return fail(
        `The running firewall still has the ICMP rule, ${running.decidedBy}. Did you restart iptables on Machine 1?`,
      );
    const seen = await icmpOffFromJournal(ctx, ctx.journal);
    return seen.passed ? pass(seen.message) : fail(seen.message);
  }
  // Without a journal: transcript first, then counters, then our own probe (never counted as evidence).
  const { evidence, where, mismatch } = await watchedTransition(ctx);
  const live = await liveRules(ctx);
  const chain = runningChain(live);
  if (!chain) return fail(FIREWALL_DOWN);
  const running = icmpVerdict(live, LIVE, a.m2);
  if (running.verdict === 'ACCEPT')
    return fail(
      `The running firewall still has the ICMP rule, ${running.decidedBy}. Did you restart iptables on Machine 1?`,
    );
  if (!evidence.found) return fail(evidenceMessage(where)[evidence.reason]);
  if (mismatch) return fail(mismatch);
  const reject = chain.rules[indexOfFinalReject(chain)];
  const counted = reject?.counters?.packets ?? 0;
  if (counted < evidence.transition.errorCount) {
    return fail(
      `${where}'s ping shows ${evidence.transition.errorCount} rejected packets, but Machine 1's REJECT rule has only counted ${counted} since the firewall was last (re)started. ` +
        'Run the ping again across a restart, and check before restarting iptables once more.',
    );
  }
  const probe = await probePing(ctx, { from: 'machine2', to: a.m1, expected: 'prohibited' });
  if (probe === 'unknown') return inconclusive(couldNotTest("Machine 1's answer to a ping from Machine 2"));
  if (probe !== 'prohibited')
    return fail(
      `A test ping from Machine 2 ${probe === 'reply' ? 'still gets a reply' : 'did not get "Destination Host Prohibited"'}; the REJECT rule should answer it.`,
    );
  const t = evidence.transition;
  return pass(
    `You saw it happen on ${where}: icmp_seq=${t.lastReply.seq} got a reply and icmp_seq=${t.firstError.seq} got "Destination Host Prohibited". ` +
      `Machine 1's REJECT rule counted ${counted} packets: with the ICMP rule gone, pings fall through to it.`,
  );
}
