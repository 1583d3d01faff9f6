import type { ChainView, FirewallSnapshot, RuleView } from '../../../protocol/inspector';
import { el } from '../dom';
import { count, counterRose, countTitle, packetsBefore, policyText, roseText, ruleKey } from './chainCounters';

/** Running chains with live counters; rules whose counters rose since the last refresh light up. */
export function renderChains(
  snapshot: FirewallSnapshot,
  previous: FirewallSnapshot | undefined,
  onLine: (line: number) => void,
): HTMLElement {
  const before = packetsBefore(previous);
  const jumpedTo = new Set(
    snapshot.chains.flatMap((c) => c.rules.map((r) => r.jump).filter((j): j is string => j !== undefined)),
  );
  return el(
    'div',
    { className: 'fw-chains' },
    ...snapshot.chains.map((chain) => renderChain(chain, before, jumpedTo.has(chain.name), onLine)),
  );
}

function renderChain(
  chain: ChainView,
  before: Map<string, number>,
  isJumpTarget: boolean,
  onLine: (line: number) => void,
): HTMLElement {
  const head = el(
    'h4',
    {},
    el('span', { className: 'fw-chain-name', textContent: chain.name }),
    el('small', { className: 'fw-policy', textContent: policyText(chain) }),
  );
  const section = el(
    'section',
    { className: `fw-chain${isJumpTarget ? ' fw-jump-target' : ''}`, data: { chain: chain.name } },
    head,
  );
  section.id = `fw-chain-${chain.name}`;
  if (chain.rules.length === 0)
    section.append(el('p', { className: 'fw-muted', textContent: 'No rules: every packet gets the policy.' }));
  else
    section.append(
      el('ol', { className: 'fw-rules' }, ...chain.rules.map((r) => renderRule(chain, r, before, onLine))),
    );
  return section;
}

function renderRule(
  chain: ChainView,
  rule: RuleView,
  before: Map<string, number>,
  onLine: (line: number) => void,
): HTMLElement {
  const rose = counterRose(rule, before.get(ruleKey(chain, rule)));
  const item = el('li', {
    className: `fw-rule${rose ? ' fw-hit' : ''}`,
    data: { number: String(rule.number), packets: String(rule.packets) },
  });
  item.append(
    el('span', { className: 'fw-num', textContent: String(rule.number) }),
    el(
      'span',
      { className: 'fw-what' },
      el('span', { className: 'fw-readable', textContent: rule.readable }),
      el('code', { textContent: rule.text }),
    ),
    el(
      'span',
      { className: 'fw-count', title: countTitle(rule) },
      el('b', { className: 'fw-packets', textContent: count(rule.packets) }),
      el('span', { className: 'fw-bytes', textContent: ` pkts · ${count(rule.bytes)} B` }),
    ),
    // Kept empty rather than absent, so an in-place update can fill it.
    el('span', { className: 'visually-hidden fw-rose', textContent: roseText(rose) }),
  );
  if (rule.fileLine !== undefined) {
    const line = rule.fileLine;
    const link = el('button', {
      className: 'fw-line-link',
      textContent: `line ${line}`,
      title: `Show line ${line} of the file`,
    });
    link.type = 'button';
    link.addEventListener('click', () => onLine(line));
    item.append(link);
  } else
    item.append(
      el('span', {
        className: 'fw-line-link fw-muted',
        textContent: 'not in file',
        title: 'No line of the file gives this rule',
      }),
    );
  if (rule.jump) {
    const target = rule.jump;
    const jump = el('a', { className: 'fw-jump', textContent: `↳ jumps to ${target}` });
    jump.href = `#fw-chain-${target}`;
    jump.addEventListener('click', (event) => {
      event.preventDefault();
      document.getElementById(`fw-chain-${target}`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    });
    item.append(jump);
  }
  return item;
}
