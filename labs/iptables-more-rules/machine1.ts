/** What several steps read from Machine 1, always from the host: its running rules, its file, its agent. */
import { indexOfFinalReject, type ChainModel, type Rule } from '../../labkit/rules';
import { probePorts, type PortOutcome } from '../../labkit/probes';
import type { CheckContext, LabView } from '../../labkit/types';
import { chapterAddrs } from '../shared/chapterTopology';

export { CHAIN, RULES_FILE, liveRules, runningChain, savedRules } from '../shared/machine1Firewall';

export function addrs(view: LabView) {
  return {
    ...chapterAddrs(view),
    /** This learner's port of the monitoring agent on Machine 1. */
    port: Number(view.param('agentPort')),
  };
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

/**
 * When the agent's ACCEPT sits only below the final REJECT (appended with `-A`), where no packet
 * reaches it: its rule number and the REJECT's, as `iptables -L --line-numbers` counts them.
 */
export function agentRuleBelowReject(chain: ChainModel, port: number): { rule: number; reject: number } | undefined {
  const last = indexOfFinalReject(chain);
  if (last < 0 || agentRules(chain, port).length > 0) return undefined;
  const below = chain.rules.findIndex(
    (r, i) => i > last && r.target === 'ACCEPT' && (r.matches.dport ?? []).some((d) => portIn(d, port)),
  );
  return below < 0 ? undefined : { rule: below + 1, reject: last + 1 };
}

function portIn(spec: string, port: number): boolean {
  const [from, to = from] = spec.split(':').map(Number);
  return from !== undefined && to !== undefined && port >= from && port <= to;
}

type Reach = PortOutcome | 'unknown';

/**
 * Connection attempts to the agent from the office desktop and from the LAN neighbour, at once,
 * each retried while it gets no answer (a slow host is 'unknown', never a closed door).
 */
export async function agentReach(ctx: CheckContext): Promise<{ office: Reach; lan: Reach }> {
  const a = addrs(ctx.view);
  const [office, lan] = await Promise.all([
    probePorts(ctx, { from: 'office-pc', to: a.m1Office, ports: [a.port], expectOpen: [a.port] }),
    probePorts(ctx, { from: 'machine2', to: a.m1, ports: [a.port], expectOpen: [a.port] }),
  ]);
  return { office: office.get(a.port) ?? 'unknown', lan: lan.get(a.port) ?? 'unknown' };
}
