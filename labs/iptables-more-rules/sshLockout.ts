/**
 * Lockouts as the host saw them in the lab journal: a learner's ssh connection from Machine 2
 * to Machine 1, then a running ruleset that shuts ssh from Machine 2 out, then one that lets it
 * back in; and, for telling a safeguard from a hand, what the host saw in between: keystrokes
 * into Machine 1's terminal, whether the rules really cut the session already open, connections
 * opened meanwhile, and data carried by connections that were already open.
 */
import type {
  JournalCheck,
  JournalConnection,
  JournalInput,
  JournalPacket,
  JournalRuleset,
  LabJournal,
} from '../../labkit/journal';
import { accepts, parseRulesFile, refusedForCertain, type ConnState, type Packet } from '../../labkit/rules';
import { carriedDuringCut, type Carried } from './connectionsDuringCut';

/** How long a check may run (the grading engine's limit), for checks recorded without a start. */
const CHECK_MS = 8_000;

export interface Lockout {
  /** When the host saw the rules that refused ssh from Machine 2 begin to load. */
  cutAt: number;
  /** When it saw rules that let it in again begin to load; undefined while still cut. */
  backAt: number | undefined;
  /** Keystroke bursts the host passed to Machine 1's terminal (its console) between the two. */
  typed: JournalInput[];
  /** The journal's cap dropped keystrokes from after the cut: silence cannot be shown. */
  typedUnknown: boolean;
  /**
   * A ruleset of the cut that may have let the already open ssh session through (refusing new
   * connections only, or with a condition the host cannot decide): undefined when every one
   * surely refused it.
   */
  leaky: JournalRuleset | undefined;
  /**
   * A TCP connection the host saw opened to or from Machine 1 during the cut (a SYN-ACK outside
   * any check): another way in, such as a shell listening on another port or one calling out.
   */
  otherWay: JournalPacket | undefined;
  /**
   * A connection already open to or from Machine 1 that carried data in during the cut, or that
   * the host could not count (undefined: none did, as the host's lists of its connections show).
   * Set once ssh is back.
   */
  carried: Carried | undefined;
}

export interface LockoutAddresses {
  m1: string;
  m2: string;
  /** Machine 1's other addresses (the office side): connections from them count too. */
  m1Others?: readonly string[];
}

/** The ruleset's moment: when the host saw the change begin, else when it read it. */
const momentOf = (r: JournalRuleset): number => r.changedAt ?? r.at;

/** Does this running ruleset shut ssh from `m2` out, new connections or the ones already open? */
export function sshCut(r: JournalRuleset, m2: string): boolean {
  if (r.firewall === 'stopped') return false;
  const rules = parseRulesFile(r.rules);
  const packet = { protocol: 'tcp', src: m2, dport: 22, inInterface: 'eth0' } as const;
  return !accepts(rules, packet) || !accepts(rules, { ...packet, state: 'ESTABLISHED' });
}

const STATES: ConnState[] = ['ESTABLISHED', 'RELATED', 'NEW', 'INVALID', 'UNTRACKED'];
/** A session's segments carry ACK, with or without PSH, FIN, URG. */
const FLAGS = [[], ['PSH'], ['FIN'], ['URG'], ['PSH', 'FIN'], ['PSH', 'URG'], ['FIN', 'URG'], ['PSH', 'FIN', 'URG']];

/**
 * The packets of an ssh session from `m2` already open, in every state conntrack may give them
 * (NOTRACK in the raw table makes them UNTRACKED; a flushed table, NEW or INVALID): the ruleset
 * cuts the session only if it refuses them all.
 */
export const openSessionPackets = ({ m1, m2 }: LockoutAddresses): Packet[] =>
  STATES.flatMap((state) =>
    FLAGS.map((extra) => ({
      protocol: 'tcp',
      src: m2,
      dst: m1,
      dport: 22,
      inInterface: 'eth0',
      state,
      tcpFlags: ['ACK', ...extra],
    })),
  );

/**
 * Machine 1's interfaces a peer's packets may come in by: Machine 2 reaches it on the LAN (eth0,
 * as `openSessionPackets` has it); any other peer, as far as the rules go, by either.
 */
const nicsFrom = (peer: string, a: LockoutAddresses): string[] => (peer === a.m2 ? ['eth0'] : ['eth0', 'eth1']);

/** The packets a connection of Machine 1 receives from its peer, in every state. */
const inboundPackets = (c: JournalConnection, a: LockoutAddresses): Packet[] =>
  STATES.flatMap((state) =>
    nicsFrom(c.peer, a).flatMap((inInterface) =>
      FLAGS.map((extra) => ({
        protocol: 'tcp',
        src: c.peer,
        dst: c.local,
        sport: c.peerPort,
        dport: c.localPort,
        inInterface,
        state,
        tcpFlags: ['ACK', ...extra],
      })),
    ),
  );

/** Surely refuses the open ssh session from Machine 2 (whatever the model cannot decide). */
export function sessionCut(r: JournalRuleset, a: LockoutAddresses): boolean {
  return r.firewall === 'running' && refusedForCertain(parseRulesFile(r.rules), openSessionPackets(a));
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
export async function lockouts(
  journal: LabJournal,
  a: LockoutAddresses,
): Promise<{ loggedIn: boolean; found: Lockout[] }> {
  const [rulesets, packets, checks, input, connectionLists] = await Promise.all([
    journal.events('ruleset'),
    journal.events('packet'),
    journal.events('check'),
    journal.events('input'),
    journal.events('connectionList'),
  ]);
  const logins = learnerLogins(packets, checks, a.m2);
  const found: Lockout[] = [];
  const cutRules = new Map<Lockout, JournalRuleset[]>();
  let open: Lockout | undefined;
  for (const r of rulesets.filter((e) => e.machineId === 'machine1')) {
    const cut = sshCut(r, a.m2);
    if (cut && !open && logins.some((at) => at <= momentOf(r))) {
      open = {
        cutAt: momentOf(r),
        backAt: undefined,
        typed: [],
        typedUnknown: false,
        leaky: undefined,
        otherWay: undefined,
        carried: undefined,
      };
      found.push(open);
      cutRules.set(open, []);
    } else if (!cut && open) {
      open.backAt = momentOf(r);
      open = undefined;
    }
    if (cut && open) cutRules.get(open)?.push(r);
    if (cut && open && !open.leaky && !sessionCut(r, a)) open.leaky = r;
  }
  const oldest = input[0];
  const m1 = new Set([a.m1, ...(a.m1Others ?? [])]);
  const opened = packets.filter(
    (p) => p.tcp?.flags === 'SYN-ACK' && (p.from === 'machine1' || m1.has(p.dst)) && !inCheck(p.at, checks),
  );
  for (const l of found) {
    const end = l.backAt ?? Number.POSITIVE_INFINITY;
    l.otherWay = opened.find((p) => p.at > l.cutAt && p.at < end);
    l.typed = input.filter((i) => i.machineId === 'machine1' && i.until >= l.cutAt && i.at <= end);
    l.typedUnknown = oldest !== undefined && oldest.seq > 1 && oldest.at > l.cutAt;
    const rules = (cutRules.get(l) ?? []).map((r) => parseRulesFile(r.rules));
    if (l.backAt !== undefined)
      l.carried = carriedDuringCut({
        cutAt: l.cutAt,
        backAt: l.backAt,
        lists: connectionLists.filter((l) => l.machineId === 'machine1'),
        checks,
        // Every ruleset of the cut refused its packets: it cannot have carried data in then.
        excused: (c) => rules.every((model) => refusedForCertain(model, inboundPackets(c, a))),
      });
  }
  return { loggedIn: logins.length > 0, found };
}
