/**
 * The journal's table. Writes arrive in batches (one transaction per flush, not one fsync per
 * packet); each lab session keeps at most CAPS[kind] events of a kind, the oldest going first.
 * A session's rows go with its `lab_sessions` row (a trigger, migration 13), whoever deletes it.
 */
import type Database from 'better-sqlite3';
import type { JournalEvent, JournalKind } from '../../labkit/journal';

export const CAPS: Record<JournalKind, number> = {
  packet: 30_000,
  ruleset: 500,
  file: 500,
  check: 2_000,
  command: 5_000,
  input: 5_000,
  connectionList: 1_000,
  note: 500,
};

export interface PendingEvent {
  sessionId: string;
  event: JournalEvent;
}

export class JournalRepo {
  private readonly insert: Database.Statement<[string, number, string, string]>;
  private readonly count: Database.Statement<[string, string], { n: number }>;
  private readonly trim: Database.Statement<[string, string, string, string, number]>;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare('INSERT INTO journal_events (session_id, at, kind, data_json) VALUES (?, ?, ?, ?)');
    this.count = db.prepare('SELECT COUNT(*) AS n FROM journal_events WHERE session_id = ? AND kind = ?');
    this.trim = db.prepare(
      `DELETE FROM journal_events WHERE session_id = ? AND kind = ? AND id <= (
         SELECT id FROM journal_events WHERE session_id = ? AND kind = ? ORDER BY id LIMIT 1 OFFSET ?)`,
    );
  }

  /** Appends a batch in one transaction, then trims the kinds that grew past their cap. */
  append(batch: readonly PendingEvent[]): void {
    if (batch.length === 0) return;
    this.db.transaction(() => {
      const grown = new Set<string>();
      for (const { sessionId, event } of batch) {
        this.insert.run(sessionId, event.at, event.kind, JSON.stringify(event));
        grown.add(`${sessionId}\n${event.kind}`);
      }
      for (const key of grown) {
        const [sessionId = '', kind = ''] = key.split('\n');
        const n = this.count.get(sessionId, kind)?.n ?? 0;
        const cap = CAPS[kind as JournalKind];
        if (n > cap) this.trim.run(sessionId, kind, sessionId, kind, n - cap - 1);
      }
    })();
  }

  /** A session's events of these kinds (all kinds if none), oldest first. */
  list(sessionId: string, kinds: readonly JournalKind[] = []): JournalEvent[] {
    const where = kinds.length > 0 ? ` AND kind IN (${kinds.map(() => '?').join(',')})` : '';
    const rows = this.db
      .prepare<string[], { data_json: string }>(
        `SELECT data_json FROM journal_events WHERE session_id = ?${where} ORDER BY at, id`,
      )
      .all(sessionId, ...kinds);
    return rows.map((r) => JSON.parse(r.data_json) as JournalEvent);
  }

  /** The newest event of a kind, e.g. the last ruleset recorded for comparison after a restart. */
  latest(sessionId: string, kind: JournalKind, where: (event: JournalEvent) => boolean): JournalEvent | undefined {
    const rows = this.db
      .prepare<[string, string], { data_json: string }>(
        'SELECT data_json FROM journal_events WHERE session_id = ? AND kind = ? ORDER BY id DESC LIMIT 200',
      )
      .all(sessionId, kind);
    for (const r of rows) {
      const event = JSON.parse(r.data_json) as JournalEvent;
      if (where(event)) return event;
    }
    return undefined;
  }
}
