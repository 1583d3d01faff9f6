import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../server/journal/Journal';
import { CAPS, JournalRepo } from '../../server/journal/JournalRepo';
import { silentLog } from '../../server/log/Log';
import { MemoryLabRuntime } from '../support/MemoryLabRuntime';
import { Store } from '../../server/store/Store';
import { tempDbFile } from './support/tempDb';

function labSession(store: Store, id: string): void {
  store.labSessions.insert({
    id,
    learnerId: 'learner-1',
    labId: 'lab',
    status: 'starting',
    createdAt: 7,
    lastActivity: 7,
  });
  store.attempts.record({ sessionId: id, stepId: 'backup', at: 8, passed: true, message: 'ok' });
  store.events.record(id, 'started', {}, 9);
}

/** Deletes a lab session's data as any retention or erasure has to: its dependent rows, then the session. */
function deleteLabSessionData(store: Store, id: string): void {
  const tables = store.db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
    .all()
    .map((t) => t.name)
    .filter((name) =>
      store.db
        .prepare<[], { table: string }>(`PRAGMA foreign_key_list(${name})`)
        .all()
        .some((fk) => fk.table === 'lab_sessions'),
    );
  store.db.transaction(() => {
    for (const table of tables) store.db.prepare(`DELETE FROM ${table} WHERE lab_session_id = ?`).run(id);
    store.db.prepare('DELETE FROM lab_sessions WHERE id = ?').run(id);
  })();
}

describe("a lab session's journal goes when the session's data goes", () => {
  const temp = tempDbFile();
  afterEach(() => temp.remove());

  it('deleting one lab session deletes its journal rows and keeps every other session’s, across a reopen', () => {
    const store = Store.open(temp.file);
    store.learners.create({ id: 'learner-1', displayName: 'Ann', classId: null, createdAt: 6 });
    labSession(store, 'gone');
    labSession(store, 'kept');
    const journal = new JournalRepo(store.db);
    journal.append(
      ['gone', 'kept'].flatMap((sessionId) => [
        { sessionId, event: { kind: 'note' as const, at: 10, text: 'lab started' } },
        { sessionId, event: { kind: 'check' as const, at: 11, stepId: 'backup', passed: true, message: 'ok' } },
        {
          sessionId,
          event: { kind: 'input' as const, at: 12, until: 12, machineId: 'machine1', bytes: 3, seq: 1 },
        },
      ]),
    );
    expect(journal.list('gone')).toHaveLength(3);

    deleteLabSessionData(store, 'gone');
    store.close();

    const again = Store.open(temp.file);
    const reopened = new JournalRepo(again.db);
    expect(reopened.list('gone')).toEqual([]);
    expect(reopened.list('kept').map((e) => e.kind)).toEqual(['note', 'check', 'input']);
    again.close();
  });

  it('keeps at most its cap of keystroke bursts, the oldest going first, and numbers on after a restart', async () => {
    const store = Store.open(temp.file);
    store.learners.create({ id: 'learner-1', displayName: 'Ann', classId: null, createdAt: 6 });
    labSession(store, 's');
    const repo = new JournalRepo(store.db);
    const burst = (seq: number) => ({
      sessionId: 's',
      event: { kind: 'input' as const, at: 1_000 * seq, until: 1_000 * seq, machineId: 'machine1', bytes: 1, seq },
    });
    repo.append(Array.from({ length: CAPS.input + 1 }, (_, i) => burst(i + 1)));
    const kept = repo.list('s', ['input']);
    expect(kept).toHaveLength(CAPS.input);
    expect(kept[0]).toMatchObject({ seq: 2 });

    // A server started again numbers the next burst after the last one kept.
    const journal = new Journal({
      repo,
      runtime: new MemoryLabRuntime(),
      filesOf: () => ({}),
      connectionListsOf: () => [],
      tap: undefined,
      log: silentLog,
    });
    journal.consoleInput('s', 'machine2', 4);
    journal.consoleInput('s', 'machine2', 4);
    await journal.close();
    expect(repo.list('s', ['input']).at(-1)).toMatchObject({ machineId: 'machine2', bytes: 8, seq: CAPS.input + 2 });
    store.close();
  });
});
