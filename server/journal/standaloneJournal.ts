/**
 * A journal without the web server, for `npm run lab:test`, the lab tests and the bench: its own
 * database (a file, or memory) and its own packet tap named after `namespace`.
 */
import { connectionListMachines, type LabModule } from '../../labkit/types';
import type { LabRuntime } from '../runtime/LabRuntime';
import { openDatabase } from '../store/openDatabase';
import { Journal } from './Journal';
import { JournalRepo } from './JournalRepo';
import { PacketTap } from './PacketTap';
import { silentLog, type Log } from '../log/Log';

export async function standaloneJournal(
  runtime: LabRuntime,
  lab: LabModule,
  namespace: string,
  options: { dbFile?: string; log?: Log } = {},
): Promise<{ journal: Journal; close(): Promise<void> }> {
  const db = openDatabase(options.dbFile ?? ':memory:');
  const log = options.log ?? silentLog;
  const tap = new PacketTap({ namespace, log });
  const connectionLists = connectionListMachines(lab);
  const journal = new Journal({
    repo: new JournalRepo(db),
    runtime,
    filesOf: () => lab.journalFiles ?? {},
    connectionListsOf: () => connectionLists,
    tap,
    log,
  });
  await journal.start();
  return {
    journal,
    async close() {
      await journal.close();
      db.close();
    },
  };
}
