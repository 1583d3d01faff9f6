/**
 * Steps 7 and 8 judge the rules' meaning twice: the running firewall, then the file a restart
 * would load. Where both have the same problem, the file's line is named: that is what the
 * learner edits.
 */
import { parseRulesFile, type RulesetModel } from '../../labkit/rules';
import { fail, type CheckContext, type CheckResult } from '../../labkit/types';
import type { LabAddresses } from './admitted';
import { changedElsewhere } from './elsewhere';
import { addrs, FIREWALL_DOWN, liveRules, readFile, RULES_FILE, runningChain } from './machines';
import { fileView, LIVE, type RuleView } from './ruleWhere';

export interface RulesJudgement {
  problem?: { code: string; message: string };
  /** What the model could not evaluate exactly; the clients' probes must settle those. */
  assumptions: string[];
}

export type Judge = (model: RulesetModel, a: LabAddresses, view: RuleView) => RulesJudgement;

/** A failure to report, or the running rules with what the model had to assume of them. */
export type BothJudged = { failed: CheckResult } | { live: RulesetModel; assumptions: string[] };

export async function judgeRunningAndSaved(ctx: CheckContext, judge: Judge): Promise<BothJudged> {
  const a = addrs(ctx.view);
  const live = await liveRules(ctx);
  if (!runningChain(live)) return { failed: fail(FIREWALL_DOWN) };
  const fileText = (await readFile(ctx, 'machine1', RULES_FILE)).text;
  const elsewhere = await changedElsewhere(ctx, fileText);
  if (elsewhere) return { failed: fail(elsewhere) };
  const running = judge(live, a, LIVE);
  const saved = judge(parseRulesFile(fileText), a, fileView(RULES_FILE)).problem;
  if (running.problem)
    return { failed: fail(saved?.code === running.problem.code ? saved.message : running.problem.message) };
  if (saved)
    return {
      failed: fail(
        `The running firewall is right, but \`${RULES_FILE}\` is not, and a restart would load it: ${saved.message} Save with \`service iptables save\`.`,
      ),
    };
  return { live, assumptions: running.assumptions };
}
