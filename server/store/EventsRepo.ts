import type Database from 'better-sqlite3';
import { eventDetailSchema, readStoredJson } from './storedJson';

/** What happened to a lab and when: started, reset, ended, reattached... */
export interface LabEventRow {
  id: number;
  sessionId: string;
  at: number;
  kind: string;
  detail: Record<string, unknown>;
}

interface Raw {
  id: number;
  lab_session_id: string;
  at: number;
  kind: string;
  detail_json: string;
}

export class EventsRepo {
  constructor(private readonly db: Database.Database) {}

  record(sessionId: string, kind: string, detail: Record<string, unknown> = {}, at = Date.now()): void {
    this.db
      .prepare<[string, number, string, string]>(
        'INSERT INTO lab_events (lab_session_id, at, kind, detail_json) VALUES (?, ?, ?, ?)',
      )
      .run(sessionId, at, kind, JSON.stringify(detail));
  }

  listBySession(sessionId: string): LabEventRow[] {
    const rows = this.db
      .prepare<[string], Raw>('SELECT * FROM lab_events WHERE lab_session_id = ? ORDER BY at, id')
      .all(sessionId);
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.lab_session_id,
      at: r.at,
      kind: r.kind,
      // Details only describe the event: unreadable ones say so rather than hide the event.
      detail: readStoredJson(eventDetailSchema, r.detail_json) ?? { unreadable: true },
    }));
  }
}
