/**
 * Machine 1's Red Hat style firewall as the host reads it, for every lab set on the chapter's
 * network: its chain, its rules file, and the rules it runs now.
 */
import { getChain, indexOfFinalReject, parseRulesFile, type ChainModel, type RulesetModel } from '../../labkit/rules';
import type { CheckContext } from '../../labkit/types';

export const CHAIN = 'RH-Firewall-1-INPUT';
export const RULES_FILE = '/etc/sysconfig/iptables';

/**
 * The filter table Machine 1 is running now, with counters, read by the host's own iptables in
 * Machine 1's network namespace. The image uses the nf_tables backend (its Dockerfile checks it),
 * so this names the nft variant: a legacy host binary would see empty tables.
 */
export async function liveRules(ctx: CheckContext): Promise<RulesetModel> {
  const r = await ctx.netnsExec('machine1', ['iptables-nft-save', '-c', '-t', 'filter']);
  if (r.exitCode !== 0) throw new Error(`iptables-save failed on Machine 1: ${r.stderr.trim()}`);
  return parseRulesFile(r.stdout);
}

/** The saved rules file, parsed; undefined when it is missing. */
export async function savedRules(ctx: CheckContext): Promise<RulesetModel | undefined> {
  const file = await ctx.readFile('machine1', RULES_FILE);
  return file && parseRulesFile(file.data.toString('utf8'));
}

/** The firewall's own chain with a catch-all REJECT: otherwise the firewall is stopped or broken. */
export function runningChain(live: RulesetModel): ChainModel | undefined {
  const chain = getChain(live, CHAIN);
  return chain && indexOfFinalReject(chain) >= 0 ? chain : undefined;
}
