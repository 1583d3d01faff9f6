/**
 * Lockouts as the host saw them in the lab journal: a learner's ssh connection from Machine 2
 * to Machine 1, then a running ruleset that shuts ssh from Machine 2 out, then one that lets it
 * back in, and which of Machine 1's console commands (as its shell reported them) fell between.
 */
import type { JournalCheck, JournalCommand, JournalPacket, JournalRuleset, LabJournal } from '../../labkit/journal';
import { accepts, parseRulesFile } from '../../labkit/rules';

/** How long a check may run (the grading engine's limit), for checks recorded without a start. */
const CHECK_MS = 8_000;

export interface Lockout {
  /** When the host first saw ssh from Machine 2 refused. */
  cutAt: number;
  /** When it first saw ssh let in again; undefined while still cut. */
  backAt: number | undefined;
  /** Commands Machine 1's console reported finishing between the two. */
  console: JournalCommand[];
}

/** Does this running ruleset shut ssh from `m2` out, new connections or the ones already open? */
export function sshCut(r: JournalRuleset, m2: string): boolean {
  if (r.firewall === 'stopped') return false;
  const rules = parseRulesFile(r.rules);
  const packet = { protocol: 'tcp', src: m2, dport: 22, inInterface: 'eth0' } as const;
  return !accepts(rules, packet) || !accepts(rules, { ...packet, state: 'ESTABLISHED' });
}

/** Inside a check's own time: its probes cross the bridges only between its start and its verdict. */
const inCheck = (at: number, checks: readonly JournalCheck[]): boolean =>
  checks.some((c) => at >= (c.startedAt ?? c.at - CHECK_MS) && at <= c.at);

/** Times Machine 1 accepted an ssh connection from Machine 2 that no check of ours opened. */
function learnerLogins(packets: readonly JournalPacket[], checks: readonly JournalCheck[], m2: string): number[] {
  return packets
    .filter((p) => p.from === 'machine1' && p.dst === m2 && p.tcp?.sport === 22 && p.tcp.flags === 'SYN-ACK')
    .map((p) => p.at)
    .filter((at) => !inCheck(at, checks));
}

/** Every lockout of a learner who was logged in from Machine 2 when ssh was cut, oldest first. */
export async function lockouts(journal: LabJournal, m2: string): Promise<{ loggedIn: boolean; found: Lockout[] }> {
  const [rulesets, packets, checks, commands] = await Promise.all([
    journal.events('ruleset'),
    journal.events('packet'),
    journal.events('check'),
    journal.events('command'),
  ]);
  const logins = learnerLogins(packets, checks, m2);
  const found: Lockout[] = [];
  let open: Lockout | undefined;
  for (const r of rulesets.filter((e) => e.machineId === 'machine1')) {
    const cut = sshCut(r, m2);
    if (cut && !open && logins.some((at) => at <= r.at)) {
      open = { cutAt: r.at, backAt: undefined, console: [] };
      found.push(open);
    } else if (!cut && open) {
      open.backAt = r.at;
      open = undefined;
    }
  }
  for (const l of found) {
    const end = l.backAt ?? Number.POSITIVE_INFINITY;
    l.console = commands.filter((c) => c.machineId === 'machine1' && c.at > l.cutAt && c.at <= end);
  }
  return { loggedIn: logins.length > 0, found };
}
