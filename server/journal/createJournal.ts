/** Builds this server's lab journal: its table in the server's database, its one packet tap, its session hooks. */
import type Database from 'better-sqlite3';
import type { LabCatalog } from '../../labkit/catalog';
import { connectionListMachines, type LabModule } from '../../labkit/types';
import type { LabRuntime } from '../runtime/LabRuntime';
import type { LabSessions } from '../sessions/LabSessions';
import type { TerminalHubs } from '../sessions/terminal/TerminalHubs';
import { Journal } from './Journal';
import { JournalRepo } from './JournalRepo';
import { PacketTap } from './PacketTap';
import { journalExtension } from './sessionHooks';
import type { ServerExtension } from '../app/ServerExtension';
import type { Log } from '../log/Log';

export interface CreateJournalOptions {
  db: Database.Database;
  runtime: LabRuntime;
  sessions: LabSessions;
  hubs: TerminalHubs;
  catalog: LabCatalog;
  /** LAB_INSTANCE: names the tap's nftables table and NFLOG group, one per server. */
  namespace: string;
  log: Log;
}

export interface ServerJournal {
  journal: Journal;
  /** Follows the sessions and records every verdict; closes the journal when the server stops. */
  extension: ServerExtension;
}

export function createJournal(o: CreateJournalOptions): ServerJournal {
  const tap = new PacketTap({ namespace: o.namespace, log: o.log });
  const labOf = (sessionId: string): LabModule | undefined => {
    const labId = o.sessions.get(sessionId)?.labId;
    return labId === undefined ? undefined : o.catalog.get(labId);
  };
  const journal = new Journal({
    repo: new JournalRepo(o.db),
    runtime: o.runtime,
    filesOf: (id) => labOf(id)?.journalFiles ?? {},
    connectionListsOf: (id) => {
      const lab = labOf(id);
      return lab ? connectionListMachines(lab) : [];
    },
    tap,
    log: o.log,
  });
  return { journal, extension: journalExtension(journal, o.hubs, () => journal.close()) };
}
