/** A traced packet's fate in one sentence, worded like the what-if's answer. */
import type { TraceHop } from '../../protocol/inspector';

const VERBS: Readonly<Record<string, string>> = {
  ACCEPT: 'Accepted',
  DROP: 'Dropped',
  REJECT: 'Rejected',
  QUEUE: 'Queued to a program',
};

export function packetFate(hops: readonly TraceHop[]): string {
  const last = hops[hops.length - 1];
  if (!last) return 'Not yet seen by the filter table.';
  const chains = [...new Set(hops.map((h) => h.chain))];
  const route = chains.length > 1 ? `Through ${chains.join(' then ')}: ` : '';
  const verb = VERBS[last.verdict];
  if (!verb) return `${route}still on its way through ${last.chain} (no verdict yet).`;
  const said = route ? verb.toLowerCase() : verb;
  if (last.policy) return `${route}${said} by the policy of ${last.chain}: no rule of ${last.chain} matched it.`;
  const where = last.number === undefined ? `a rule of ${last.chain}` : `rule ${last.number} of ${last.chain}`;
  const line = last.fileLine === undefined ? '' : ` (line ${last.fileLine} of the rules file)`;
  const words = last.readable;
  return `${route}${said} by ${where}${line}${words ? `, which says "${words}"` : ''}.`;
}
