/** What several steps read from Machine 1, always from the host: its running rules, its file, its agent. */
import {
  getChain,
  indexOfFinalReject,
  parseRulesFile,
  type ChainModel,
  type Rule,
  type RulesetModel,
} from '../../labkit/rules';
import { probeTcp, type TcpOutcome } from '../../labkit/probes';
import type { CheckContext, LabView } from '../../labkit/types';

export const CHAIN = 'RH-Firewall-1-INPUT';
export const RULES_FILE = '/etc/sysconfig/iptables';

export function addrs(view: LabView) {
  return {
    m1: view.address('machine1', 'lan'),
    m1Office: view.address('machine1', 'office'),
    m2: view.address('machine2', 'lan'),
    pc: view.address('office-pc', 'office'),
    office: view.subnet('office'),
    /** This learner's port of the monitoring agent on Machine 1. */
    port: Number(view.param('agentPort')),
  };
}

/** The filter table Machine 1 runs now, read by the host's iptables in its network namespace. */
export async function liveRules(ctx: CheckContext): Promise<RulesetModel> {
  const r = await ctx.netnsExec('machine1', ['iptables-nft-save', '-c', '-t', 'filter']);
  if (r.exitCode !== 0) throw new Error(`iptables-save failed on Machine 1: ${r.stderr.trim()}`);
  return parseRulesFile(r.stdout);
}

export async function savedRules(ctx: CheckContext): Promise<RulesetModel | undefined> {
  const file = await ctx.readFile('machine1', RULES_FILE);
  return file && parseRulesFile(file.data.toString('utf8'));
}

/** The firewall's own chain, when it is loaded and still ends in its catch-all REJECT. */
export function runningChain(live: RulesetModel): ChainModel | undefined {
  const chain = getChain(live, CHAIN);
  return chain && indexOfFinalReject(chain) >= 0 ? chain : undefined;
}

export const FIREWALL_DOWN =
  "Machine 1's firewall is not running (no RH-Firewall-1-INPUT chain ending in REJECT is loaded). " +
  'Run `service iptables restart` on Machine 1 to load the saved rules, then carry on.';

/** ACCEPT rules above the final REJECT that name the agent's port. */
export function agentRules(chain: ChainModel, port: number): Rule[] {
  const last = indexOfFinalReject(chain);
  return chain.rules.filter(
    (r, i) => i < last && r.target === 'ACCEPT' && (r.matches.dport ?? []).some((d) => portIn(d, port)),
  );
}

function portIn(spec: string, port: number): boolean {
  const [from, to = from] = spec.split(':').map(Number);
  return from !== undefined && to !== undefined && port >= from && port <= to;
}

/** Connection attempts to the agent from the office desktop and from the LAN neighbour, at once. */
export async function agentReach(ctx: CheckContext): Promise<{ office: TcpOutcome; lan: TcpOutcome }> {
  const a = addrs(ctx.view);
  const [office, lan] = await Promise.all([
    probeTcp(ctx, 'office-pc', a.m1Office, a.port),
    probeTcp(ctx, 'machine2', a.m1, a.port),
  ]);
  return { office, lan };
}
