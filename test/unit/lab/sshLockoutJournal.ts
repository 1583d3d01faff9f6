/**
 * A lab session's journal around an ssh lockout, for the lockout tests: Machine 1's rulesets, the
 * learner's logins from Machine 2, keys typed at the consoles and connections the host listed.
 */
import type { JournalEvent, JournalKind, LabJournal } from '../../../labkit/journal';

export const M1 = '10.1.3.1';
export const M2 = '10.1.3.2';
export const ADDRS = { m1: M1, m2: M2 };

export const chapterRules = (top: string[] = []): string =>
  [
    '*filter',
    ':INPUT ACCEPT',
    ':FORWARD ACCEPT',
    ':OUTPUT ACCEPT',
    ':RH-Firewall-1-INPUT -',
    '-A INPUT -j RH-Firewall-1-INPUT',
    ...top,
    '-A RH-Firewall-1-INPUT -m state --state ESTABLISHED,RELATED -j ACCEPT',
    '-A RH-Firewall-1-INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT',
    '-A RH-Firewall-1-INPUT -j REJECT --reject-with icmp-host-prohibited',
    'COMMIT',
  ].join('\n');

export const OPEN = chapterRules();
export const CUT = chapterRules(['-A RH-Firewall-1-INPUT -p tcp -m tcp --dport 22 -j REJECT']);

export const ruleset = (at: number, rules: string): JournalEvent => ({
  kind: 'ruleset',
  at,
  machineId: 'machine1',
  rules,
  hash: String(at),
  reloaded: false,
  firewall: 'running',
});
export const synAck = (at: number): JournalEvent => ({
  kind: 'packet',
  at,
  from: 'machine1',
  src: M1,
  dst: M2,
  proto: 'tcp',
  tcp: { sport: 22, dport: 40000 + at, flags: 'SYN-ACK' },
});
export const keys = (at: number, seq: number, machineId = 'machine1'): JournalEvent => ({
  kind: 'input',
  at,
  until: at + 400,
  machineId,
  bytes: 24,
  seq,
});
export const forgedCommand = (at: number, commandLine: string): JournalEvent => ({
  kind: 'command',
  at,
  source: 'learner',
  machineId: 'machine1',
  commandLine,
  exitCode: 0,
  startedAt: at,
});
export const check = (startedAt: number, at: number): JournalEvent => ({
  kind: 'check',
  at,
  startedAt,
  stepId: 'x',
  passed: false,
  message: '',
});

/** One of Machine 1's connections as the host's ss listed it. */
export const conn = (
  peer: string,
  peerPort: number,
  localPort: number,
  bytesReceived: number,
  lastReceivedMs = 60_000,
) => ({
  local: M1,
  localPort,
  peer,
  peerPort,
  state: 'ESTAB',
  bytesReceived,
  bytesAcked: 0,
  lastReceivedMs,
});
/** The learner's ssh session from Machine 2, with what it had received so far. */
export const sshSession = (bytes: number) => conn(M2, 40_000, 22, bytes, 100);
/** Machine 1's connections read from the host over 50 ms ending at `at`. */
export const sockets = (at: number, connections: ReturnType<typeof conn>[] = [], more = 0): JournalEvent => ({
  kind: 'sockets',
  at,
  startedAt: at - 50,
  machineId: 'machine1',
  connections,
  more,
});

export function journalOf(events: JournalEvent[]): LabJournal {
  const events_ = (...kinds: JournalKind[]) => Promise.resolve(events.filter((e) => kinds.includes(e.kind)));
  return { events: events_ as LabJournal['events'] };
}
