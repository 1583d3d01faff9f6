/**
 * Keeps the journal's view of each machine's ruleset and graded files current: reads them from
 * the host when asked (a command ended, an ICMP error crossed the bridge, a check, the periodic
 * poll) and records only what changed. One read at a time per lab session.
 */
import { errorMessage } from '../log/errorMessage';
import type { JournalEvent, JournalFile, JournalRuleset } from '../../labkit/journal';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import { fileSnapshot, rulesetSnapshot } from './hostReads';
import type { JournalRepo } from './JournalRepo';
import type { Log } from '../log/Log';

interface Known {
  ruleset: Map<string, { hash: string; generation: string }>;
  files: Map<string, string | undefined>;
  queue: Promise<void>;
}

export class Snapshots {
  private readonly known = new Map<string, Known>();

  constructor(
    private readonly runtime: LabRuntime,
    private readonly repo: JournalRepo,
    private readonly record: (sessionId: string, event: JournalEvent) => void,
    /** Graded files per machine of a session's lab. */
    private readonly filesOf: (sessionId: string) => Readonly<Record<string, readonly string[]>>,
    private readonly log: Log,
  ) {}

  /** Reads the machines (all, or one) and records changes; resolves when done. */
  refresh(sessionId: string, deployment: LabDeployment, machineIds?: readonly string[]): Promise<void> {
    const k = this.state(sessionId);
    const run = async (): Promise<void> => {
      const ids = machineIds ?? deployment.machines.map((m) => m.id);
      await Promise.all(ids.map((id) => this.readMachine(sessionId, deployment, id, k)));
    };
    k.queue = k.queue.then(run, run).catch((error: unknown) => {
      this.log(`journal: could not read ${sessionId}: ${errorMessage(error)}`);
    });
    return k.queue;
  }

  forget(sessionId: string): void {
    this.known.delete(sessionId);
  }

  private state(sessionId: string): Known {
    let k = this.known.get(sessionId);
    if (!k) {
      // After a restart the last recorded state is the baseline, so nothing is recorded twice.
      k = { ruleset: new Map(), files: new Map(), queue: Promise.resolve() };
      for (const e of this.repo.list(sessionId, ['ruleset', 'file'])) {
        if (e.kind === 'ruleset') k.ruleset.set(e.machineId, { hash: e.hash, generation: '' });
        if (e.kind === 'file') k.files.set(`${e.machineId}:${e.path}`, e.hash);
      }
      this.known.set(sessionId, k);
    }
    return k;
  }

  private async readMachine(sessionId: string, deployment: LabDeployment, machineId: string, k: Known): Promise<void> {
    const files = this.filesOf(sessionId)[machineId] ?? [];
    const [ruleset, ...contents] = await Promise.all([
      rulesetSnapshot(this.runtime, deployment, machineId),
      ...files.map((path) => fileSnapshot(this.runtime, deployment, machineId, path)),
    ]);
    const at = Date.now();
    files.forEach((path, i) => {
      const content = contents[i];
      const key = `${machineId}:${path}`;
      if (!content || (k.files.has(key) && k.files.get(key) === content.hash)) return;
      if (!k.files.has(key) && content.hash === undefined) return;
      k.files.set(key, content.hash);
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
    const event: JournalRuleset = {
      kind: 'ruleset',
      at,
      machineId,
      rules: ruleset.rules,
      hash: ruleset.hash,
      reloaded: before !== undefined && before.hash === ruleset.hash,
      firewall: ruleset.firewall,
    };
    this.record(sessionId, event);
  }
}
