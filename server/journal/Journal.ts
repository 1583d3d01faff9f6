/**
 * The lab journal: what the host saw of each lab session, kept in SQLite beside its progress.
 *   packets   one PacketTap for all labs; each packet is named after the machine whose bridge port it entered by
 *   rulesets  read from the host in each machine's namespace (Snapshots), on every trigger below
 *   files     the lab's graded files, hashed, read without running anything in the machine
 *   checks    every verdict (recordCheck), commands as the learner's shell reported them
 *   input     keystrokes the server passed to each machine's terminal, as bursts (InputBursts)
 *   connection lists  a machine's TCP connections and their byte counts, when its rules change,
 *             for the machines whose lists a step reads (ConnectionLists)
 * Triggers for a read: a command ended in that machine's terminal, an ICMP error left the
 * machine, a check, and a poll every POLL_MS while the lab was active in the last ACTIVE_MS.
 */
import { errorMessage } from '../log/errorMessage';
import type { JournalEvent, JournalInput, JournalKind, LabJournal } from '../../labkit/journal';
import type { LabRuntime, LabDeployment } from '../runtime/LabRuntime';
import type { CommandFinished } from '../sessions/terminal/commandTracker';
import { ConnectionLists } from './ConnectionLists';
import type { JournalRepo, PendingEvent } from './JournalRepo';
import { PacketIntake } from './PacketIntake';
import type { PacketTap } from './PacketTap';
import type { TappedPacket } from './nflogPcap';
import { InputBursts } from './InputBursts';
import { Snapshots } from './Snapshots';
import { TapQuiet } from './TapQuiet';
import type { Log } from '../log/Log';

const FLUSH_MS = 500;
const POLL_MS = 10_000;
const ACTIVE_MS = 180_000;

interface Tracked {
  deployment: LabDeployment;
  lastActive: number;
}

export interface JournalOptions {
  repo: JournalRepo;
  runtime: LabRuntime;
  /** Graded files per machine of a session's lab (LabModule.journalFiles). */
  filesOf: (sessionId: string) => Readonly<Record<string, readonly string[]>>;
  /** Machines of a session's lab whose connection lists a step reads (connectionListMachines). */
  connectionListsOf: (sessionId: string) => readonly string[];
  /** Undefined when the host cannot tap the bridges (then no packets are recorded). */
  tap: PacketTap | undefined;
  log: Log;
}

export class Journal {
  private readonly tracked = new Map<string, Tracked>();
  private pending: PendingEvent[] = [];
  private readonly snapshots: Snapshots;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly tapQuiet = new TapQuiet();
  private readonly input: InputBursts;
  private readonly connectionLists: ConnectionLists;
  private readonly packets: PacketIntake;

  constructor(private readonly o: JournalOptions) {
    this.input = new InputBursts(
      (id) => (o.repo.latest(id, 'input', () => true) as JournalInput | undefined)?.seq ?? 0,
      (id, e) => this.record(id, e),
    );
    const record = (id: string, e: JournalEvent): void => this.record(id, e);
    this.connectionLists = new ConnectionLists({ ...o, record });
    this.snapshots = new Snapshots({ ...o, record, connectionLists: this.connectionLists });
    this.packets = new PacketIntake({ ...o, record, kept: (id, from) => this.packetKept(id, from) });
    this.timers.push(
      setInterval(() => this.flush(), FLUSH_MS),
      setInterval(() => this.poll(), POLL_MS),
    );
    for (const t of this.timers) t.unref();
  }

  /** Starts the packet tap; without it the journal still records rulesets, files, checks and commands. */
  async start(): Promise<void> {
    await this.o.tap
      ?.start((p) => this.onPacket(p))
      .then(() => this.tapQuiet.started())
      .catch((error: unknown) => {
        this.o.log(`journal: no packet tap (${errorMessage(error)}); packets are not recorded`);
      });
  }

  record(sessionId: string, event: JournalEvent): void {
    this.pending.push({ sessionId, event });
  }

  /**
   * A check's verdict with the span it ran in. Checks overlap (an auto-check beside a pressed
   * Check), so each brings its own start: its probes must never read as the learner's traffic.
   */
  recordCheck(
    sessionId: string,
    check: { stepId: string; passed: boolean; message: string; startedAt: number; at: number; shown: boolean },
  ): void {
    this.record(sessionId, { kind: 'check', ...check });
  }

  /** What checkers read for one check: brought up to date from the host first. */
  readerFor(sessionId: string, deployment: LabDeployment): LabJournal {
    const startedAt = Date.now();
    let settled: Promise<void> | undefined;
    let packetsIn: Promise<void> | undefined;
    return {
      events: async <K extends JournalKind>(...kinds: K[]) => {
        settled ??= this.snapshots.refresh(sessionId, deployment);
        if (kinds.length === 0 || kinds.includes('packet' as K)) packetsIn ??= this.tapQuiet.caughtUp(startedAt);
        await Promise.all([settled, packetsIn]);
        await this.connectionLists.settled(sessionId);
        this.input.settle(Date.now(), sessionId);
        this.flush();
        return this.o.repo.list(sessionId, kinds) as Extract<JournalEvent, { kind: K }>[];
      },
    };
  }

  /** Forgets what is kept in memory for a session whose lab ended (its rows stay with its data). */
  async ended(sessionId: string): Promise<void> {
    await this.untrack(sessionId);
    this.snapshots.forget(sessionId);
    this.input.forget(sessionId);
  }

  /** Every event of a session, for the instructor's timeline. */
  events(sessionId: string): JournalEvent[] {
    this.flush();
    return this.o.repo.list(sessionId);
  }

  flush(): void {
    this.input.settle();
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.o.repo.append(batch);
    } catch (error) {
      this.o.log(`journal: could not write ${batch.length} events: ${errorMessage(error)}`);
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.snapshots.close();
    this.input.settle(Number.POSITIVE_INFINITY);
    this.flush();
    await this.o.tap?.close();
  }

  /** A command the learner's shell reported: recorded as theirs, and a reason to read that machine. */
  commandFinished(sessionId: string, c: CommandFinished): void {
    this.record(sessionId, {
      kind: 'command',
      at: c.finishedAt,
      source: 'learner',
      machineId: c.machineId,
      commandLine: c.commandLine?.slice(0, 500),
      exitCode: c.exitCode,
      startedAt: c.startedAt,
    });
    this.activity(sessionId, [c.machineId]);
  }

  /** Bytes the server passed to a machine's terminal: host-seen, whoever typed them. */
  consoleInput(sessionId: string, machineId: string, bytes: number): void {
    this.input.typed(sessionId, machineId, bytes);
  }

  note(sessionId: string, text: string): void {
    this.record(sessionId, { kind: 'note', at: Date.now(), text });
  }

  /** Starts following a session's machines (after a start, wake or reset): their bridge ports and state. */
  async track(sessionId: string, deployment: LabDeployment): Promise<void> {
    await this.untrack(sessionId);
    this.tracked.set(sessionId, { deployment, lastActive: Date.now() });
    this.snapshots.watch(sessionId, deployment);
    void this.snapshots.refresh(sessionId, deployment);
    await this.packets.follow(sessionId, deployment);
  }

  /** Stops following a session (asleep or ended); what was recorded stays. */
  async untrack(sessionId: string): Promise<void> {
    if (!this.tracked.delete(sessionId)) return;
    this.snapshots.unwatch(sessionId);
    await this.packets.forget(sessionId);
  }

  private onPacket(p: TappedPacket): void {
    this.tapQuiet.delivered(p.at);
    this.packets.onPacket(p);
  }

  /** A packet was kept: the lab is active; an ICMP error says its sender's firewall may have just changed. */
  private packetKept(sessionId: string, icmpErrorFrom: string | undefined): void {
    if (icmpErrorFrom) this.activity(sessionId, [icmpErrorFrom]);
    else {
      const t = this.tracked.get(sessionId);
      if (t) t.lastActive = Date.now();
    }
  }

  private readonly soon = new Map<string, NodeJS.Timeout>();

  /** Reads these machines shortly (debounced), and marks the lab active for the poll. */
  private activity(sessionId: string, machineIds: string[]): void {
    const t = this.tracked.get(sessionId);
    if (t) t.lastActive = Date.now();
    for (const machineId of machineIds) {
      const key = `${sessionId}:${machineId}`;
      if (this.soon.has(key)) continue;
      const timer = setTimeout(() => {
        this.soon.delete(key);
        const tracked = this.tracked.get(sessionId);
        if (tracked) void this.snapshots.refresh(sessionId, tracked.deployment, [machineId]);
      }, 200);
      timer.unref();
      this.soon.set(key, timer);
    }
  }

  private poll(): void {
    const now = Date.now();
    for (const [id, t] of this.tracked)
      if (now - t.lastActive < ACTIVE_MS) void this.snapshots.refresh(id, t.deployment);
  }
}
