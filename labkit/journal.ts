/**
 * The lab journal as checkers read it: what the host recorded about a lab session, outside the
 * learner's reach (packets on the lab's bridges, rulesets, files and TCP connections read from
 * the host, checks, keystrokes the host passed to each machine's terminal), plus the learner's
 * commands as their shell reported them (source 'learner': a pointer, never proof). See README
 * "The lab journal".
 */

/**
 * Checkers' own pings carry this payload (`ping -p`), so the journal can tell them from the
 * learner's: a marked echo is never evidence of what the learner did.
 */
export const PROBE_PATTERN = '6a726e6c70726f6265';

/** A packet seen on a lab bridge. `from` is the machine whose bridge port it entered by. */
export interface JournalPacket {
  kind: 'packet';
  at: number;
  /** The machine that really sent it (its bridge port), or undefined if the port is unknown. */
  from: string | undefined;
  src: string;
  dst: string;
  proto: 'icmp' | 'tcp';
  icmp?: { type: number; code: number; id?: number; seq?: number; inner?: JournalInner; probe?: boolean };
  tcp?: { sport: number; dport: number; flags: TcpFlags };
}

/** The packet an ICMP error quotes. */
export interface JournalInner {
  src: string;
  dst: string;
  proto: 'icmp' | 'tcp' | 'udp' | 'other';
  id?: number;
  seq?: number;
  sport?: number;
  dport?: number;
}

export type TcpFlags = 'SYN' | 'SYN-ACK' | 'RST' | 'RST-ACK';

/** A machine's running filter ruleset changed (as the host read it in the machine's network namespace). */
export interface JournalRuleset {
  kind: 'ruleset';
  at: number;
  machineId: string;
  /** iptables-save text without counters, after the change. */
  rules: string;
  hash: string;
  /** Loaded anew (rule handles changed) even if the text is the same: a restart. */
  reloaded: boolean;
  /** 'stopped': no rules and every policy ACCEPT, as a stopped or failed firewall leaves it. */
  firewall: 'running' | 'stopped';
  /**
   * When the host saw the change begin (the kernel announced it): the graded files of the machine
   * are recorded as they were at that moment, so `file` events up to `changedAt` say what a
   * restart loaded. Absent when the host could not watch the machine's rules.
   */
  changedAt?: number;
}

/** A graded file changed, read from the host without running anything in the machine. */
export interface JournalFile {
  kind: 'file';
  at: number;
  machineId: string;
  path: string;
  /** sha256 of the content; undefined when the file is gone. */
  hash: string | undefined;
  /** The content when small enough to keep (see README: caps). */
  text: string | undefined;
}

export interface JournalCheck {
  kind: 'check';
  at: number;
  stepId: string;
  passed: boolean;
  message: string;
  /** When the check began; its own probes cross the bridges between then and `at`. */
  startedAt?: number;
  /**
   * False for a verdict nobody was shown (an auto-check of a step not started, a check that could
   * not finish): kept only for its span, so its probes are never read as the learner's traffic.
   */
  shown?: boolean;
}

/** Reported by the learner's own shell: it may be forged, so it only ever points at a moment. */
export interface JournalCommand {
  kind: 'command';
  at: number;
  source: 'learner';
  machineId: string;
  commandLine: string | undefined;
  exitCode: number | undefined;
  startedAt: number;
}

/**
 * Keystrokes the host passed from the page to a machine's terminal (its console): when and how
 * many bytes, never which. Seen by the server's terminal bridge, so nothing inside can forge or
 * hide them. One event per burst, at most one per machine per second.
 */
export interface JournalInput {
  kind: 'input';
  /** The burst's first byte. */
  at: number;
  /** Its last byte. */
  until: number;
  machineId: string;
  bytes: number;
  /**
   * 1, 2, 3… per lab session: when the oldest kept has a seq above 1, older bursts were dropped
   * (the journal's cap), so no silence before it can be proven.
   */
  seq: number;
}

/**
 * One TCP connection of a machine as the host's `ss` listed it from the kernel (run by the host in
 * the machine's network namespace): its ends and the byte counts the kernel keeps for it.
 */
export interface JournalConnection {
  local: string;
  localPort: number;
  peer: string;
  peerPort: number;
  /** ss's name for the state: ESTAB, CLOSE-WAIT, FIN-WAIT-2… (TIME-WAIT is not listed: it is over). */
  state: string;
  /** Payload bytes the machine received on it, from the peer, since it opened. */
  bytesReceived: number;
  /** Payload bytes it sent that the peer acknowledged. */
  bytesAcked: number;
  /** Milliseconds since it last received data (or since it opened, if never), as the kernel said at the read. */
  lastReceivedMs: number | undefined;
}

/**
 * A machine's connection list: its TCP connections, read from the host when its rules began to
 * change (and after a ruleset change recorded without that moment): which connection carried
 * data, and when. Taken only for the machines a step of the lab names (`LabStep.connectionLists`).
 */
export interface JournalConnectionList {
  kind: 'connectionList';
  /** When the read ended: the kernel's counts are as of a moment between `startedAt` and `at`. */
  at: number;
  startedAt: number;
  machineId: string;
  /** The rule change this read was made for (when the host saw it begin), if any. */
  changeAt?: number;
  /** At most the journal's cap per read (README: caps), in ss's order. */
  connections: JournalConnection[];
  /** Connections past the cap, not listed: this read cannot show what they carried. */
  more: number;
}

/** Life of the lab session (start, sleep, wake, reset) and the journal's own limits (dropped events). */
export interface JournalNote {
  kind: 'note';
  at: number;
  text: string;
}

export type JournalEvent =
  | JournalPacket
  | JournalRuleset
  | JournalFile
  | JournalCheck
  | JournalCommand
  | JournalInput
  | JournalConnectionList
  | JournalNote;
export type JournalKind = JournalEvent['kind'];

type OfKind<K extends JournalKind> = Extract<JournalEvent, { kind: K }>;

export interface LabJournal {
  /**
   * The events of these kinds, oldest first. Reads the machines' rulesets and graded files from
   * the host first, so the journal is up to date at the moment of the check.
   */
  events<K extends JournalKind>(...kinds: K[]): Promise<OfKind<K>[]>;
}
