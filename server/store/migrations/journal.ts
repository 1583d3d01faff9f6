import type { Migration } from './Migration';

// The lab journal: what the host saw of each lab session. A released migration never changes (see Migration.ts).
export const labJournal: Migration = {
  version: 12,
  name: 'lab journal',
  sql: `
      CREATE TABLE journal_events (
        id         INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL,
        at         INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        data_json  TEXT NOT NULL
      );
      CREATE INDEX journal_events_by_session ON journal_events(session_id, kind, id);
    `,
};

export const journalGoesWithSession: Migration = {
  version: 13,
  name: 'journal goes with its lab session',
  // Whatever deletes a lab session's row (retention, erasing a learner) takes its journal with
  // it, so no deletion path can forget the journal. Rows of sessions already gone go now.
  sql: `
      CREATE TRIGGER journal_events_follow_lab_session AFTER DELETE ON lab_sessions
      BEGIN
        DELETE FROM journal_events WHERE session_id = OLD.id;
      END;
      DELETE FROM journal_events WHERE session_id NOT IN (SELECT id FROM lab_sessions);
    `,
};

export const connectionListKind: Migration = {
  version: 15,
  name: 'journal kind connectionList',
  // One word per concept: a machine's TCP connections read from the host are its connection
  // list, kind `connectionList` (it was `sockets`), in the column and in the stored event alike.
  sql: `
      UPDATE journal_events
         SET kind = 'connectionList', data_json = json_set(data_json, '$.kind', 'connectionList')
       WHERE kind = 'sockets';
    `,
};
