import type { ChainView, FirewallSnapshot, RuleView } from '../../../protocol/inspector';

/** A counter in few characters: 950, 12k, 3.4M. */
export const count = (n: number): string =>
  n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 10_000 ? `${Math.round(n / 1000)}k` : String(n);

export const policyText = (chain: ChainView): string =>
  chain.builtin ? ` policy ${chain.policy} · ${count(chain.packets)} packets by policy` : ' user chain';

/** For screen readers, after a rule whose counter rose; empty otherwise. */
export const roseText = (rose: boolean): string => (rose ? ' (counter rose)' : '');

export const countTitle = (rule: RuleView): string => `${rule.packets} packets, ${rule.bytes} bytes`;

/**
 * Everything the chains show except the counters. While it stays the same, a refresh only
 * changes numbers, so the rendered rules can be updated in place instead of rebuilt.
 */
export function chainsShape(snapshot: FirewallSnapshot): string {
  return JSON.stringify(
    snapshot.chains.map((c) => [
      c.name,
      c.policy,
      c.builtin,
      c.rules.map((r) => [r.number, r.text, r.readable, r.jump, r.fileLine]),
    ]),
  );
}

/** The counter of a rule rose since the previous snapshot (a new rule has nothing to compare). */
export function counterRose(rule: RuleView, was: number | undefined): boolean {
  return was !== undefined && rule.packets > was;
}

/** Earlier packet counts by chain, rule number and rule text. */
export function packetsBefore(previous: FirewallSnapshot | undefined): Map<string, number> {
  const before = new Map<string, number>();
  for (const chain of previous?.chains ?? []) for (const r of chain.rules) before.set(ruleKey(chain, r), r.packets);
  return before;
}

export const ruleKey = (chain: ChainView, rule: RuleView): string => `${chain.name}|${rule.number}|${rule.text}`;

/**
 * New counters written into chains rendered from a snapshot of the same shape: the nodes stay,
 * so focus, selection and scroll position are untouched and nothing is laid out anew.
 */
export function updateCounters(
  container: HTMLElement,
  snapshot: FirewallSnapshot,
  previous: FirewallSnapshot | undefined,
): void {
  const before = packetsBefore(previous);
  for (const chain of snapshot.chains) {
    const section = container.querySelector<HTMLElement>(`section.fw-chain[data-chain="${CSS.escape(chain.name)}"]`);
    if (!section) continue;
    const policy = section.querySelector('.fw-policy');
    if (policy) policy.textContent = policyText(chain);
    for (const rule of chain.rules) {
      const item = section.querySelector<HTMLElement>(`li.fw-rule[data-number="${rule.number}"]`);
      if (item) updateRule(item, rule, counterRose(rule, before.get(ruleKey(chain, rule))));
    }
  }
}

function updateRule(item: HTMLElement, rule: RuleView, rose: boolean): void {
  item.dataset.packets = String(rule.packets);
  item.classList.toggle('fw-hit', rose);
  const packets = item.querySelector('.fw-packets');
  if (packets) packets.textContent = count(rule.packets);
  const bytes = item.querySelector('.fw-bytes');
  if (bytes) bytes.textContent = ` pkts · ${count(rule.bytes)} B`;
  item.querySelector<HTMLElement>('.fw-count')?.setAttribute('title', countTitle(rule));
  const said = item.querySelector('.fw-rose');
  if (said) said.textContent = roseText(rose);
}
