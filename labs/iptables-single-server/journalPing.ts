/**
 * Steps 4 and 5 judged from the lab journal: which pings crossed the bridge, what Machine 1
 * answered, and when its running rules changed, all recorded by the host. A terminal's text may
 * point at the moment; it never decides.
 */
import { clock, echoExchanges, replyToProhibited, type EchoExchange } from '../../labkit/journalEvidence';
import type { JournalPacket, JournalRuleset, LabJournal } from '../../labkit/journal';
import { parseRulesFile } from '../../labkit/rules';
import type { CheckContext } from '../../labkit/types';
import { icmpVerdict } from './icmp';
import { addrs } from './machines';
import { LIVE } from './ruleWhere';
import { WATCHERS } from './pingWatch';

/** A ruleset read this long after the first error still explains it (reads wait on a busy host). */
const READ_GRACE_MS = 60_000;

const CLIENTS = WATCHERS.map((w) => w.id);
const label = (machineId: string): string => WATCHERS.find((w) => w.id === machineId)?.label ?? machineId;

function clientAddress(ctx: CheckContext, machineId: string): string {
  const a = addrs(ctx.view);
  return machineId === 'office-pc' ? a.pc : a.m2;
}

const acceptsPing = (ctx: CheckContext, r: JournalRuleset, client: string): boolean =>
  icmpVerdict(parseRulesFile(r.rules), LIVE, clientAddress(ctx, client)).verdict === 'ACCEPT';

async function read(journal: LabJournal): Promise<{ packets: JournalPacket[]; rulesets: JournalRuleset[] }> {
  const packets = await journal.events('packet');
  const rulesets = (await journal.events('ruleset')).filter((r) => r.machineId === 'machine1');
  return { packets, rulesets };
}

export type JournalVerdict = { passed: true; message: string } | { passed: false; message: string };

/** Step 4: one ping's replies turned into "host prohibited" after a recorded change of Machine 1's rules. */
export async function icmpOffFromJournal(ctx: CheckContext, journal: LabJournal): Promise<JournalVerdict> {
  const { packets, rulesets } = await read(journal);
  const exchanges = echoExchanges(packets, CLIENTS, 'machine1');
  const turn = replyToProhibited(exchanges);
  if (!turn) return { passed: false, message: whyNoTurn(exchanges) };
  const replyAt = turn.lastReply.answer?.at ?? turn.lastReply.at;
  const errorAt = turn.firstProhibited.answer?.at ?? turn.firstProhibited.at;
  const change = rulesets.find(
    (r) => r.at > replyAt && r.at <= errorAt + READ_GRACE_MS && !acceptsPing(ctx, r, turn.from),
  );
  const where = label(turn.from);
  if (!change)
    return {
      passed: false,
      message: `The host saw ${where}'s ping (ICMP id ${turn.id}) get replies and then "host prohibited", but recorded no change of Machine 1's running rules in between. Restart iptables on Machine 1 while the ping runs, so the change is what turns the replies into errors.`,
    };
  return {
    passed: true,
    message:
      `The host saw it on the network: ${where}'s ping (ICMP id ${turn.id}) got ${turn.replies} replies up to icmp_seq=${turn.lastReply.seq}; ` +
      `at ${clock(change.at)} Machine 1's running rules changed (no ICMP rule any more), and from icmp_seq=${turn.firstProhibited.seq} ` +
      `${turn.prohibited} requests were rejected as host-prohibited: with the ICMP rule gone, pings fall through to the REJECT rule.`,
  };
}

function whyNoTurn(exchanges: readonly EchoExchange[]): string {
  const replied = exchanges.some((e) => e.answer?.kind === 'reply');
  const prohibited = exchanges.some((e) => e.answer?.kind === 'prohibited');
  if (exchanges.length === 0)
    return 'The host has seen no ping from Machine 2 (or office-pc) to Machine 1 yet. Start `ping` on Machine 2 and keep it running while you restart iptables on Machine 1.';
  if (replied && prohibited)
    return 'The host saw replies and "host prohibited" errors, but in different ping runs. Keep one ping running on Machine 2 while you restart iptables on Machine 1.';
  if (prohibited)
    return 'The host saw only "host prohibited" errors: start the ping *before* you restart iptables, so one run shows the replies turning into errors.';
  return 'The host saw your ping get replies only. Keep it running, restart iptables on Machine 1, and watch the replies turn into errors.';
}

/** Step 5: after Machine 1's rules took the ICMP rule back, a learner's ping got replies. */
export async function icmpOnFromJournal(ctx: CheckContext, journal: LabJournal): Promise<JournalVerdict> {
  const { packets, rulesets } = await read(journal);
  // A stopped firewall accepts ping too (every policy ACCEPT), but that is no rule put back: only
  // running rulesets are compared, each with the running one before it.
  const running = rulesets.filter((r) => r.firewall === 'running');
  const restored = running.filter((r, i) => {
    const before = running[i - 1];
    return acceptsPing(ctx, r, 'machine2') && before !== undefined && !acceptsPing(ctx, before, 'machine2');
  });
  const since = restored[restored.length - 1];
  const previous = since && rulesets[rulesets.indexOf(since) - 1];
  if (!since || !previous)
    return {
      passed: false,
      message:
        "The host has not seen Machine 1's running rules take the ICMP rule back yet. Restart iptables on Machine 1.",
    };
  // Replies count from when the host saw the change begin; without that moment, from the last
  // read before it (the rules changed in between).
  const from = since.changedAt ?? Math.max(previous.at, since.at - READ_GRACE_MS);
  const restoredAt = since.changedAt ?? since.at;
  const answered = echoExchanges(packets, CLIENTS, 'machine1').filter((e) => e.at > from && e.answer?.kind === 'reply');
  const last = answered[answered.length - 1];
  if (!last)
    return {
      passed: false,
      message: `Machine 1's firewall accepts ping again (since ${clock(restoredAt)}). Now watch it: run \`ping -c 3 ${addrs(ctx.view).m1}\` in Machine 2's terminal and see the replies come back.`,
    };
  const run = answered.filter((e) => e.from === last.from && e.id === last.id);
  return {
    passed: true,
    message: `The host saw Machine 1's rules take the ICMP rule back at ${clock(restoredAt)}, and then ${run.length} echo requests from ${label(last.from)} (ICMP id ${last.id}) answered with replies.`,
  };
}
