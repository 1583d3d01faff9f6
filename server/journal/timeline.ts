/**
 * A lab session's journal as a timeline people can read: commands (as the learner's shell
 * reported them), ruleset changes as rules removed and added, packets summarised between them,
 * file changes and checks with their verdicts. Keystroke counts and connection lists are
 * evidence for checks, not lines to read (the commands say what was typed). Pure: events in, entries out.
 */
import type {
  JournalEvent,
  JournalInput,
  JournalPacket,
  JournalRuleset,
  JournalConnectionList,
} from '../../labkit/journal';
import { MAX_TIMELINE_ENTRIES, type TimelineEntry } from '../../protocol/timeline';
import { summarisePackets, type PacketNames } from './packetSummary';

export interface TimelineNames {
  /** Machine id -> the label the lab gives it. */
  machines: Readonly<Record<string, string>>;
  /** Known addresses -> machine id (the session's machines); more are learnt from the packets. */
  addresses?: Readonly<Record<string, string>>;
  /** Step id -> "4. Watch ping fail". */
  steps?: Readonly<Record<string, string>>;
}

/** The timeline of these events (any order), oldest first; the newest `limit` entries are kept. */
export function buildTimeline(
  events: readonly JournalEvent[],
  names: TimelineNames,
  limit = MAX_TIMELINE_ENTRIES,
): { entries: TimelineEntry[]; omitted: number } {
  const sorted = [...events].sort((a, b) => timeOf(a) - timeOf(b));
  const packets = sorted.filter((e): e is JournalPacket => e.kind === 'packet');
  const others = sorted.filter(
    (e): e is Listed =>
      e.kind !== 'packet' &&
      e.kind !== 'input' &&
      e.kind !== 'connectionList' &&
      !(e.kind === 'check' && e.shown === false),
  );
  const packetNames = namesFor(packets, names);
  const entries: TimelineEntry[] = [];
  const earlier: Earlier = { rules: new Map(), files: new Map() };
  for (const e of others) entries.push(entryOf(e, names, packetNames, earlier));

  // Packets between two ruleset changes (or lab events: a reset, a sleep) are one stretch, so a
  // ping across a ruleset change gets two lines; commands and checks do not change the network.
  const bounds = others.filter((e) => e.kind === 'ruleset' || e.kind === 'note').map(timeOf);
  const segmentOf = (at: number): number => {
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((bounds[mid] ?? 0) <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const g of summarisePackets(packets, packetNames, segmentOf))
    entries.push({ kind: 'packets', at: g.at, until: g.until, source: 'host', machine: g.machine, text: g.text });
  entries.sort((a, b) => a.at - b.at);
  commandsBeforeTheirPackets(entries);
  const omitted = Math.max(0, entries.length - limit);
  return { entries: entries.slice(omitted), omitted };
}

/**
 * A shell reports a command's start over the terminal, after the host saw its first packet
 * leave: packets its machine sent this much before it are listed after the command (each keeps
 * its time).
 */
const REPORT_LAG_MS = 1_000;

function commandsBeforeTheirPackets(entries: TimelineEntry[]): void {
  for (let i = 1; i < entries.length; i++) {
    const command = entries[i];
    if (command?.kind !== 'command') continue;
    for (let j = i; j > 0; j--) {
      const before = entries[j - 1];
      if (before?.kind !== 'packets' || before.machine !== command.machine || command.at - before.at > REPORT_LAG_MS)
        break;
      entries[j - 1] = command;
      entries[j] = before;
    }
  }
}

/**
 * Commands are placed where they began (what the packets after them answer), ruleset changes
 * where the host saw them begin: on a busy host the read of the new rules can come back after
 * the first packet the change turned away.
 */
function timeOf(e: JournalEvent): number {
  if (e.kind === 'command') return e.startedAt;
  if (e.kind === 'ruleset') return e.changedAt ?? e.at;
  return e.at;
}

function namesFor(packets: readonly JournalPacket[], names: TimelineNames): PacketNames {
  const owners = new Map<string, string>(Object.entries(names.addresses ?? {}));
  // A packet's source address is its sending machine's own (the bridge port says which machine sent it).
  for (const p of packets) if (p.from && !owners.has(p.src)) owners.set(p.src, p.from);
  const machine = (id: string | undefined): string =>
    id === undefined ? 'an unknown machine' : (names.machines[id] ?? id);
  return {
    machine,
    address: (address) => {
      const owner = owners.get(address);
      return owner ? `${machine(owner)} (${address})` : address;
    },
  };
}

type Listed = Exclude<JournalEvent, JournalPacket | JournalInput | JournalConnectionList>;

/** What the events so far left behind, each entry said against it: rulesets per machine, file hashes. */
interface Earlier {
  rules: Map<string, JournalRuleset>;
  files: Map<string, string | undefined>;
}

function entryOf(
  e: Listed,
  names: TimelineNames,
  packetNames: PacketNames,
  { rules: lastRules, files: lastFile }: Earlier,
): TimelineEntry {
  switch (e.kind) {
    case 'command': {
      const machine = packetNames.machine(e.machineId);
      const exit = e.exitCode === undefined || e.exitCode === 0 ? '' : ` (exit status ${e.exitCode})`;
      const seconds = Math.round((e.at - e.startedAt) / 1000);
      return {
        kind: 'command',
        at: e.startedAt,
        source: 'learner',
        machine,
        text: `${machine}: ${e.commandLine ?? '(a command the shell did not name)'}${exit}`,
        detail: [`Reported by the learner's shell; it ran ${seconds} s.`],
      };
    }
    case 'ruleset': {
      const machine = packetNames.machine(e.machineId);
      const before = lastRules.get(e.machineId);
      lastRules.set(e.machineId, e);
      const change = rulesetChange(machine, before, e);
      const lag = e.changedAt === undefined ? undefined : e.at - e.changedAt;
      const read =
        lag === undefined
          ? []
          : [`The host saw the change begin here and read the new rules ${(lag / 1000).toFixed(1)} s later.`];
      return {
        kind: 'ruleset',
        at: timeOf(e),
        source: 'host',
        machine,
        text: change.text,
        detail: read.length + (change.detail?.length ?? 0) > 0 ? [...read, ...(change.detail ?? [])] : undefined,
        rules: e.rules,
        firewall: e.firewall,
      };
    }
    case 'file': {
      const machine = packetNames.machine(e.machineId);
      const key = `${e.machineId}:${e.path}`;
      const seen = lastFile.has(key);
      lastFile.set(key, e.hash);
      const what = e.hash === undefined ? 'was removed' : seen ? 'changed' : 'is there';
      return {
        kind: 'file',
        at: e.at,
        source: 'host',
        machine,
        text: `${machine}: ${e.path} ${what}`,
        detail: e.hash ? [`sha256 ${e.hash.slice(0, 16)}…`] : undefined,
      };
    }
    case 'check': {
      const step = names.steps?.[e.stepId] ?? e.stepId;
      return {
        kind: 'check',
        at: e.at,
        source: 'host',
        text: `Check of step ${step}: ${e.passed ? 'passed' : 'not passed'}`,
        detail: e.message.split('\n').filter((line) => line.trim() !== ''),
        stepId: e.stepId,
        passed: e.passed,
      };
    }
    case 'note':
      return { kind: 'note', at: e.at, source: 'host', text: e.text };
  }
}

/** "Machine 1's ruleset changed (reloaded): 1 rule removed", with the rules removed and added. */
function rulesetChange(
  machine: string,
  before: JournalRuleset | undefined,
  after: JournalRuleset,
): { text: string; detail?: string[] } {
  const rules = ruleLines(after.rules);
  if (after.firewall === 'stopped') return { text: `${machine}'s firewall is stopped: no rules, every policy ACCEPT` };
  if (!before || before.firewall === 'stopped') {
    const how = before ? 'started' : 'running';
    return { text: `${machine}'s firewall ${how}: ${count(rules.filter(isRule).length, 'rule')} loaded` };
  }
  const old = ruleLines(before.rules);
  const removed = minus(old, rules);
  const added = minus(rules, old);
  const reloaded = after.reloaded ? ' (reloaded)' : '';
  if (removed.length === 0 && added.length === 0) return { text: `${machine}'s firewall reloaded with the same rules` };
  const word = [...removed, ...added].every(isRule) ? 'rule' : 'line';
  const parts = [
    removed.length > 0 ? `${count(removed.length, word)} removed` : '',
    added.length > 0 ? `${count(added.length, word)} added` : '',
  ].filter(Boolean);
  return {
    text: `${machine}'s ruleset changed${reloaded}: ${parts.join(', ')}`,
    detail: [...removed.map((line) => `− ${line}`), ...added.map((line) => `+ ${line}`)],
  };
}

/** Rules and chain policies, without the comments and table markers iptables-save adds. */
const ruleLines = (rules: string): string[] =>
  rules
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('-') || line.startsWith(':'));
const isRule = (line: string): boolean => line.startsWith('-A ');
const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Lines of `a` not in `b`, each line counted as often as it occurs. */
function minus(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const line of b) left.set(line, (left.get(line) ?? 0) + 1);
  return a.filter((line) => {
    const n = left.get(line) ?? 0;
    if (n > 0) left.set(line, n - 1);
    return n === 0;
  });
}
