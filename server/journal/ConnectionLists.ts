/**
 * Takes a machine's connection list from the host when its rules begin to change: the host's `ss`
 * in the machine's network namespace (the host's binary, the kernel's counts), so nothing inside
 * can hide a connection or its bytes. Only for the machines a step of the lab names (Snapshots
 * asks). A check waits for the reads under way. Bounded: one read per rule change (the monitor's
 * changes are debounced), at most MAX_CONNECTIONS per list, and the journal's cap on
 * `connectionList` events per lab session.
 */
import { errorMessage } from '../log/errorMessage';
import type { JournalEvent } from '../../labkit/journal';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import { hostNetns } from '../runtime/capabilities';
import { HostAccessUnavailable } from '../runtime/LabRuntime';
import { parseSs, SS_COMMAND } from './ssConnections';
import type { Log } from '../log/Log';

/** Connections per list; more make the list say so (`more`), and a checker cannot use it. */
export const MAX_CONNECTIONS = 32;
const READ_TIMEOUT_MS = 15_000;
const TRIES = 2;

export interface ConnectionListsOptions {
  runtime: LabRuntime;
  record: (sessionId: string, event: JournalEvent) => void;
  log: Log;
}

export class ConnectionLists {
  private readonly underWay = new Map<string, Set<Promise<void>>>();

  constructor(private readonly o: ConnectionListsOptions) {}

  /** Reads now (`changeAt`: the rule change it is for); resolves once recorded, never rejects. */
  read(sessionId: string, deployment: LabDeployment, machineId: string, changeAt?: number): Promise<void> {
    const reads = this.underWay.get(sessionId) ?? new Set();
    this.underWay.set(sessionId, reads);
    const read = this.readOnce(sessionId, deployment, machineId, changeAt).finally(() => {
      reads.delete(read);
      if (reads.size === 0 && this.underWay.get(sessionId) === reads) this.underWay.delete(sessionId);
    });
    reads.add(read);
    return read;
  }

  /** Resolves when the reads under way for this session are recorded. */
  async settled(sessionId: string): Promise<void> {
    await Promise.all([...(this.underWay.get(sessionId) ?? [])]);
  }

  private async readOnce(sessionId: string, deployment: LabDeployment, machineId: string, changeAt?: number) {
    let why = '';
    for (let attempt = 1; attempt <= TRIES; attempt++) {
      const startedAt = Date.now();
      try {
        const r = await hostNetns(this.o.runtime).netnsExec(deployment, machineId, SS_COMMAND, {
          timeoutMs: READ_TIMEOUT_MS,
        });
        if (r.exitCode !== 0) throw new Error(`ss exited ${r.exitCode}: ${r.stderr.trim()}`);
        const { connections, more } = parseSs(r.stdout, MAX_CONNECTIONS);
        this.o.record(sessionId, {
          kind: 'connectionList',
          at: Date.now(),
          startedAt,
          machineId,
          ...(changeAt !== undefined && { changeAt }),
          connections,
          more,
        });
        return;
      } catch (error) {
        if (error instanceof HostAccessUnavailable) return;
        why = errorMessage(error);
      }
    }
    this.o.log(`journal: could not take the connection list of ${sessionId}/${machineId}: ${why}`);
  }
}
