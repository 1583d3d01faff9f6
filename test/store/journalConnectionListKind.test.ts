import { afterEach, describe, expect, it } from 'vitest';
import { JournalRepo } from '../../server/journal/JournalRepo';
import { connectionListKind } from '../../server/store/migrations/journal';
import { migrations } from '../../server/store/migrations';
import { openDatabase } from '../../server/store/openDatabase';
import { tempDbFile } from './support/tempDb';

/** A connection list as a server before the rename wrote it: kind `sockets`, in the column and the JSON. */
const oldList = {
  kind: 'sockets',
  at: 2_100,
  startedAt: 2_050,
  machineId: 'machine1',
  changeAt: 2_000,
  connections: [
    {
      local: '10.1.2.1',
      localPort: 22,
      peer: '10.1.2.2',
      peerPort: 40_000,
      state: 'ESTAB',
      bytesReceived: 3_000,
      bytesAcked: 5_000,
      lastReceivedMs: 100,
    },
  ],
  more: 0,
};

describe('connection lists a server recorded before the kind was named `connectionList`', () => {
  const temp = tempDbFile();
  afterEach(() => temp.remove());

  it('read as connection lists after the upgrade, whole, and nothing else changes', () => {
    const older = migrations.filter((m) => m.version < connectionListKind.version);
    const before = openDatabase(temp.file, older);
    const insert = before.prepare('INSERT INTO journal_events (session_id, at, kind, data_json) VALUES (?, ?, ?, ?)');
    insert.run('s1', oldList.at, 'sockets', JSON.stringify(oldList));
    const note = { kind: 'note', at: 2_200, text: 'lab ended' };
    insert.run('s1', note.at, 'note', JSON.stringify(note));
    before.close();

    const db = openDatabase(temp.file);
    const repo = new JournalRepo(db);
    expect(repo.list('s1', ['connectionList'])).toEqual([{ ...oldList, kind: 'connectionList' }]);
    expect(repo.list('s1', ['note'])).toEqual([note]);
    expect(db.prepare("SELECT COUNT(*) FROM journal_events WHERE kind = 'sockets'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT COUNT(*) FROM journal_events WHERE data_json LIKE '%sockets%'").pluck().get()).toBe(0);
    db.close();
  });
});
