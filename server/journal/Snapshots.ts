/**
 * Keeps the journal's view of each machine's ruleset and graded files current: reads them from
 * the host when asked (a command ended, an ICMP error crossed the bridge, a check, the periodic
 * poll, a rule change the host saw begin) and records only what changed. One read at a time per
 * lab session. When the host sees a machine's rules begin to change (a firewall restart), its
 * graded files are read at once and recorded as of that moment, and the ruleset change then read
 * carries the moment (`changedAt`): what the rules file said when the firewall restarted. The
 * machines a step reads the connection lists of get one taken then too (ConnectionLists).
 */
import { errorMessage } from '../log/errorMessage';
import type { JournalEvent, JournalFile, JournalRuleset } from '../../labkit/journal';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import type { ConnectionLists } from './ConnectionLists';
import { fileSnapshot, rulesetSnapshot } from './hostReads';
import type { JournalRepo } from './JournalRepo';
import { RulesetMonitor } from './RulesetMonitor';
import type { Log } from '../log/Log';

/** A file changed this close to a moment (or after it) may not be what it was at the moment. */
const MTIME_SLACK_MS = 50;

interface Known {
  ruleset: Map<string, { hash: string; generation: string }>;
  /** Each file's last recorded version and the time it was recorded as of. */
  files: Map<string, { hash: string | undefined; at: number }>;
  /** Per machine: when the host saw a rule change begin that no recorded ruleset carries yet. */
  changeBegan: Map<string, number>;
  queue: Promise<void>;
  /** The read queued behind the running one, not started yet: later asks join it. */
  waiting?: { machineIds: Set<string> | 'all'; deployment: LabDeployment; done: Promise<void> };
}

export interface SnapshotsOptions {
  runtime: LabRuntime;
  repo: JournalRepo;
  /** Where the events read go: the journal's buffer. */
  record: (sessionId: string, event: JournalEvent) => void;
  /** Graded files per machine of a session's lab. */
  filesOf: (sessionId: string) => Readonly<Record<string, readonly string[]>>;
  /** Machines of a session's lab whose connection lists a step reads. */
  connectionListsOf: (sessionId: string) => readonly string[];
  /** Takes those machines' connection lists when their rules begin to change, and after each change recorded. */
  connectionLists: ConnectionLists;
  log: Log;
}

export class Snapshots {
  private readonly known = new Map<string, Known>();
  private readonly monitor: RulesetMonitor;

  private readonly runtime: LabRuntime;
  private readonly repo: JournalRepo;
  private readonly record: (sessionId: string, event: JournalEvent) => void;
  private readonly filesOf: SnapshotsOptions['filesOf'];
  private readonly log: Log;
  private readonly connectionListsOf: SnapshotsOptions['connectionListsOf'];
  private readonly connectionLists: ConnectionLists;

  constructor({ runtime, repo, record, filesOf, connectionListsOf, connectionLists, log }: SnapshotsOptions) {
    this.connectionListsOf = connectionListsOf;
    this.connectionLists = connectionLists;
    this.runtime = runtime;
    this.repo = repo;
    this.record = record;
    this.filesOf = filesOf;
    this.log = log;
    this.monitor = new RulesetMonitor(runtime, log);
  }

  /**
   * Watches the rules of the machines with graded files or a connection list a step reads: a
   * change's start and its end trigger reads.
   */
  watch(sessionId: string, deployment: LabDeployment): void {
    const listed = this.connectionListsOf(sessionId);
    const watched = [...Object.keys(this.filesOf(sessionId)), ...listed];
    const machineIds = deployment.machines.map((m) => m.id).filter((id) => watched.includes(id));
    this.monitor.watch(sessionId, deployment, machineIds, {
      began: (machineId, at) => {
        if (listed.includes(machineId)) void this.connectionLists.read(sessionId, deployment, machineId, at);
        this.changeBegan(sessionId, deployment, machineId, at).catch((error: unknown) => {
          this.log(`journal: could not read ${sessionId}/${machineId} at a rule change: ${errorMessage(error)}`);
        });
      },
      settled: (machineId) => void this.refresh(sessionId, deployment, [machineId]),
    });
  }

  unwatch(sessionId: string): void {
    this.monitor.stop(sessionId);
  }

  close(): void {
    this.monitor.close();
  }

  /**
   * Reads the machines (all, or some) and records changes; resolves when done. A read starts after
   * the ask, so it shows the state at the ask or later. Asks made while a read waits for the
   * running one join it: at most two reads per lab session, however many ICMP errors, commands and
   * polls ask on a busy host (a growing queue would record a change minutes after it happened).
   */
  refresh(sessionId: string, deployment: LabDeployment, machineIds?: readonly string[]): Promise<void> {
    const k = this.state(sessionId);
    const waiting = k.waiting;
    if (waiting) {
      if (!machineIds) waiting.machineIds = 'all';
      else if (waiting.machineIds !== 'all') for (const id of machineIds) waiting.machineIds.add(id);
      waiting.deployment = deployment;
      return waiting.done;
    }
    const next: NonNullable<Known['waiting']> = {
      machineIds: machineIds ? new Set(machineIds) : 'all',
      deployment,
      done: Promise.resolve(),
    };
    k.waiting = next;
    const run = async (): Promise<void> => {
      if (k.waiting === next) k.waiting = undefined;
      const ids = next.machineIds === 'all' ? next.deployment.machines.map((m) => m.id) : [...next.machineIds];
      await Promise.all(ids.map((id) => this.readMachine(sessionId, next.deployment, id, k)));
    };
    k.queue = k.queue.then(run, run).catch((error: unknown) => {
      this.log(`journal: could not read ${sessionId}: ${errorMessage(error)}`);
    });
    next.done = k.queue;
    return k.queue;
  }

  forget(sessionId: string): void {
    this.known.delete(sessionId);
  }

  /**
   * A rule change of this machine began at `at`: records its graded files as they were then (read
   * now, at once, outside the queue). A file modified since (or just before) is left to the next
   * read: its content may be newer than the moment. A file gone is recorded gone as of this read.
   */
  async changeBegan(sessionId: string, deployment: LabDeployment, machineId: string, at: number): Promise<void> {
    const k = this.state(sessionId);
    k.changeBegan.set(machineId, at);
    const files = this.filesOf(sessionId)[machineId] ?? [];
    const contents = await Promise.all(files.map((path) => fileSnapshot(this.runtime, deployment, machineId, path)));
    const seen = Date.now();
    files.forEach((path, i) => {
      const content = contents[i];
      const key = `${machineId}:${path}`;
      const before = k.files.get(key);
      if (content && !content.hash && before?.hash && before.at <= seen) {
        // Gone now (a tool removes the rules file, then stops the firewall): recorded as seen, not
        // as of the moment, which may have come before the removal. A quick restore cannot hide it.
        k.files.set(key, { hash: undefined, at: seen });
        this.record(sessionId, { kind: 'file', at: seen, machineId, path, hash: undefined, text: undefined });
        return;
      }
      if (!content?.hash || (content.modifiedAt ?? Infinity) > at - MTIME_SLACK_MS) return;
      if (before && before.hash === content.hash && before.at <= at) return;
      if (!before || before.at <= at) k.files.set(key, { hash: content.hash, at });
      this.record(sessionId, { kind: 'file', at, machineId, path, hash: content.hash, text: content.text });
    });
  }

  private state(sessionId: string): Known {
    let k = this.known.get(sessionId);
    if (!k) {
      // After a restart the last recorded state is the baseline, so nothing is recorded twice.
      k = { ruleset: new Map(), files: new Map(), changeBegan: new Map(), queue: Promise.resolve() };
      for (const e of this.repo.list(sessionId, ['ruleset', 'file'])) {
        if (e.kind === 'ruleset') k.ruleset.set(e.machineId, { hash: e.hash, generation: '' });
        if (e.kind === 'file') k.files.set(`${e.machineId}:${e.path}`, { hash: e.hash, at: e.at });
      }
      this.known.set(sessionId, k);
    }
    return k;
  }

  private async readMachine(sessionId: string, deployment: LabDeployment, machineId: string, k: Known): Promise<void> {
    const files = this.filesOf(sessionId)[machineId] ?? [];
    const readStarted = Date.now();
    const [ruleset, ...contents] = await Promise.all([
      rulesetSnapshot(this.runtime, deployment, machineId),
      ...files.map((path) => fileSnapshot(this.runtime, deployment, machineId, path)),
    ]);
    const at = Date.now();
    files.forEach((path, i) => {
      const content = contents[i];
      const key = `${machineId}:${path}`;
      const before = k.files.get(key);
      if (!content || (before && before.hash === content.hash)) return;
      if (!before && content.hash === undefined) return;
      k.files.set(key, { hash: content.hash, at });
      const event: JournalFile = { kind: 'file', at, machineId, path, hash: content.hash, text: content.text };
      this.record(sessionId, event);
    });
    const before = k.ruleset.get(machineId);
    if (
      before &&
      before.hash === ruleset.hash &&
      (before.generation === '' || before.generation === ruleset.generation)
    ) {
      before.generation = ruleset.generation;
      return;
    }
    k.ruleset.set(machineId, { hash: ruleset.hash, generation: ruleset.generation });
    // The change the host saw begin before this read started is the one this read shows.
    const began = k.changeBegan.get(machineId);
    const changedAt = began !== undefined && began <= readStarted ? began : undefined;
    if (changedAt !== undefined) k.changeBegan.delete(machineId);
    const event: JournalRuleset = {
      kind: 'ruleset',
      at,
      machineId,
      rules: ruleset.rules,
      hash: ruleset.hash,
      reloaded: before !== undefined && before.hash === ruleset.hash,
      firewall: ruleset.firewall,
      ...(changedAt !== undefined && { changedAt }),
    };
    this.record(sessionId, event);
    // A change recorded gets a connection list too, even when its start went unseen.
    if (this.connectionListsOf(sessionId).includes(machineId))
      await this.connectionLists.read(sessionId, deployment, machineId);
  }
}
