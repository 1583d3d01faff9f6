import { stepText } from '../../../labkit/content';
import {
  describeRule,
  findRuleIndex,
  getChain,
  indexOfFinalReject,
  parseRulesFile,
  ruleKey,
  type ChainModel,
  type Rule,
} from '../../../labkit/rules';
import { fail, inconclusive, pass, type CheckContext, type CheckResult, type LabStep } from '../../../labkit/types';
import { addrs, CHAIN, FIREWALL_DOWN, liveRules, readFile, restoreTest, RULES_FILE, runningChain } from '../machines';
import { couldNotTest, probePorts } from '../../../labkit/probes';
import { iptablesCommands, machine1Runs, shadowedMessage, shadowedRuns } from '../ruleCommands';
import { fileView, liveRuleAt, ruleAt } from '../ruleWhere';

const key = (r: Rule): string => ruleKey(r, { includeChain: false });
const isTcpAccept = (r: Rule | undefined): r is Rule =>
  r?.target === 'ACCEPT' && r.protocol === 'tcp' && (r.matches.dport?.length ?? 0) > 0;

/** Latches: the evidence is in the terminal history; the rule then stays in the saved file. */
export const ruleOrder: LabStep = {
  id: 'rule-order',
  ...stepText(new URL('./10-rule-order.md', import.meta.url)),
  latching: 'latch',
  check: checkRuleOrder,
  async solve(ctx) {
    const a = addrs(ctx.view);
    const spec = '-p tcp --dport 443 -j ACCEPT';
    await ctx.run('machine1', `iptables -A ${CHAIN} ${spec}`);
    await ctx.sh('machine2', `nc -z -w 1 ${a.m1} 443 || echo "still closed"`);
    const listing = await ctx.run('machine1', `iptables -L ${CHAIN} --line-numbers`);
    const rejectNo = /^(\d+)\s+REJECT/m.exec(listing.output)?.[1];
    if (!rejectNo) throw new Error(`no REJECT in the listing:\n${listing.output}`);
    await ctx.run('machine1', `iptables -I ${CHAIN} ${rejectNo} ${spec}`);
    await ctx.run('machine1', `iptables -D ${CHAIN} ${Number(rejectNo) + 2}`);
    await ctx.run('machine1', 'service iptables save');
    await ctx.run('machine1', 'service iptables restart');
  },
};

/** ACCEPT rules after the final REJECT: they can never match, like the appended copy the instructions remove. */
function afterReject(chain: ChainModel | undefined): { rule: Rule; index: number }[] {
  const reject = indexOfFinalReject(chain);
  if (!chain || reject < 0) return [];
  return chain.rules.map((rule, index) => ({ rule, index })).filter((r) => r.index > reject);
}

async function checkRuleOrder(ctx: CheckContext): Promise<CheckResult> {
  const runs = machine1Runs(ctx);
  const commands = iptablesCommands(runs);
  const appended = commands.filter((c) => c.cmd.action === 'A' && c.cmd.chain === CHAIN && isTcpAccept(c.cmd.rule));
  const first = appended[0];
  if (!first?.cmd.rule) {
    if (shadowedRuns(runs, 'iptables').length > 0) return fail(shadowedMessage('iptables', 'Machine 1'));
    return fail(
      `Machine 1's terminal shows no \`iptables -A ${CHAIN} ...\` yet. Start by appending the port 443 rule there and see that it has no effect.`,
    );
  }
  const insertsAfter = commands.filter(
    (c) => c.order > first.order && c.cmd.action === 'I' && c.cmd.chain === CHAIN && isTcpAccept(c.cmd.rule),
  );
  const inserted = insertsAfter.find((c) =>
    appended.some((a) => a.cmd.rule && c.cmd.rule && key(a.cmd.rule) === key(c.cmd.rule)),
  );
  const live = await liveRules(ctx);
  const chain = runningChain(live);
  if (!chain) return fail(FIREWALL_DOWN);
  const reject = indexOfFinalReject(chain);
  if (!inserted?.cmd.rule) {
    if (shadowedRuns(runs, 'iptables').some((t) => t.order > first.order))
      return fail(shadowedMessage('iptables', 'Machine 1'));
    const other = insertsAfter[insertsAfter.length - 1]?.cmd.rule;
    if (other) {
      return fail(
        `You inserted \`${describeRule(other)}\`, but the rule you appended was \`${describeRule(first.cmd.rule)}\`. ` +
          `Insert the same rule as the one you appended, so that you can see what its position changes: \`iptables -I ${CHAIN} <number of the REJECT> ${describeRule(first.cmd.rule)}\`.`,
      );
    }
    const at = findRuleIndex(chain, (r) => key(r) === key(first.cmd.rule as Rule));
    if (at > reject) {
      return fail(
        `Your rule \`${describeRule(first.cmd.rule)}\` is ${liveRuleAt(CHAIN, at)}, after the REJECT (rule ${reject + 1}), so it never matches. ` +
          `Use \`iptables -I ${CHAIN} ${reject + 1} ...\` to put it above the REJECT.`,
      );
    }
    return fail(
      `Now insert the same rule above the REJECT with \`iptables -I ${CHAIN} <number> ...\` in Machine 1's terminal.`,
    );
  }
  const rule = inserted.cmd.rule;
  const liveAt = findRuleIndex(chain, (r) => key(r) === key(rule));
  if (liveAt < 0 || liveAt > reject)
    return fail(
      `\`${describeRule(rule)}\` is no longer live above the REJECT. Did a restart load a file without it? Insert it again, then \`service iptables save\`.`,
    );
  const file = parseRulesFile((await readFile(ctx, 'machine1', RULES_FILE)).text);
  const fileChain = getChain(file, CHAIN);
  const fileAt = findRuleIndex(fileChain, (r) => key(r) === key(rule));
  if (fileAt < 0)
    return fail(
      `The rule is live but not in \`${RULES_FILE}\`, so a restart would lose it. Run \`service iptables save\`.`,
    );
  if (fileAt > indexOfFinalReject(fileChain))
    return fail(
      `In \`${RULES_FILE}\` the rule sits after the REJECT. Save again after inserting it in the right place.`,
    );
  // A clean result: nothing left behind the REJECT, running or saved (the instructions remove the appended copy).
  const liveLeft = afterReject(chain)[0];
  if (liveLeft) {
    return fail(
      `The appended copy is still there: \`${describeRule(liveLeft.rule)}\` is ${liveRuleAt(CHAIN, liveLeft.index)}, after the REJECT, where it can never match. ` +
        `Delete it with \`iptables -D ${CHAIN} ${liveLeft.index + 1}\`, then \`service iptables save\`.`,
    );
  }
  const fileLeft = afterReject(fileChain)[0];
  if (fileLeft) {
    return fail(
      `Your running firewall is clean, but ${ruleAt(fileView(RULES_FILE), CHAIN, fileLeft.index, fileLeft.rule)} still holds \`${describeRule(fileLeft.rule)}\` after the REJECT. ` +
        'Run `service iptables save` again so that the file matches.',
    );
  }
  const restore = await restoreTest(ctx, RULES_FILE);
  if (!restore.ok) return fail(`\`${RULES_FILE}\` would not load at the next restart: ${restore.error}`);
  const port = Number(rule.matches.dport?.[0]?.split(':')[0]);
  const a = addrs(ctx.view);
  if (rule.source === undefined && Number.isInteger(port)) {
    const probe = (await probePorts(ctx, { from: 'machine2', to: a.m1, ports: [port], expectOpen: [port] })).get(port);
    if (probe === 'unknown') return inconclusive(couldNotTest(`port ${port} from Machine 2`));
    if (probe !== 'open')
      return fail(
        `Port ${port} still does not answer Machine 2, although the rule is in place. Is the service listening?`,
      );
  }
  return pass(
    `\`${describeRule(rule)}\` is ${liveRuleAt(CHAIN, liveAt)}, above the REJECT, both live and in the saved file, with nothing left behind the REJECT, so it survives a restart.`,
  );
}
