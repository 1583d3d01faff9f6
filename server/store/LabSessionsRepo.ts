import type Database from 'better-sqlite3';
import type { LabDeployment, Placement } from '../runtime/LabRuntime';
import { preparedOnce } from './preparedOnce';
import { labDeploymentSchema, readStoredJson } from './storedJson';

export type StoredLabStatus = 'starting' | 'ready' | 'resetting' | 'sleeping' | 'waking' | 'ended';

export interface LabSessionRow {
  id: string;
  learnerId: string;
  labId: string;
  /** The runtime's placement of the machines (see `Placement`). */
  slot: Placement | null;
  /** The machines, with their addresses and container ids; null while starting and after the end. */
  deployment: LabDeployment | null;
  status: StoredLabStatus;
  createdAt: number;
  endedAt: number | null;
  endReason: string | null;
  lastActivity: number;
  /** When the lab went to sleep; null while awake. */
  sleptAt: number | null;
  /** How long its machines were up before the last sleep, and when they last came up after one. */
  awakeMs: number;
  awakeSince: number | null;
}

export type LabSessionSummary = Pick<
  LabSessionRow,
  'id' | 'learnerId' | 'labId' | 'status' | 'createdAt' | 'lastActivity'
>;

interface Raw {
  id: string;
  learner_id: string;
  lab_id: string;
  slot: Placement | null;
  instance_json: string | null;
  status: StoredLabStatus;
  created_at: number;
  ended_at: number | null;
  end_reason: string | null;
  last_activity: number;
  slept_at: number | null;
  awake_ms: number;
  awake_since: number | null;
}

const toRow = (r: Raw): LabSessionRow => ({
  id: r.id,
  learnerId: r.learner_id,
  labId: r.lab_id,
  slot: r.slot,
  // Unreadable machines count as none: a restart then ends the lab as lost, and removes them.
  deployment: r.instance_json ? (readStoredJson(labDeploymentSchema, r.instance_json) ?? null) : null,
  status: r.status,
  createdAt: r.created_at,
  endedAt: r.ended_at,
  endReason: r.end_reason,
  lastActivity: r.last_activity,
  sleptAt: r.slept_at,
  awakeMs: r.awake_ms,
  awakeSince: r.awake_since,
});

export class LabSessionsRepo {
  constructor(private readonly db: Database.Database) {}

  insert(row: Pick<LabSessionRow, 'id' | 'learnerId' | 'labId' | 'status' | 'createdAt' | 'lastActivity'>): void {
    this.db
      .prepare<[string, string, string, StoredLabStatus, number, number]>(
        'INSERT INTO lab_sessions (id, learner_id, lab_id, status, created_at, last_activity) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING',
      )
      .run(row.id, row.learnerId, row.labId, row.status, row.createdAt, row.lastActivity);
  }

  /** The machines changed (started or reset). */
  setDeployment(id: string, deployment: LabDeployment, status: StoredLabStatus): void {
    this.db
      .prepare<[string, Placement, StoredLabStatus, string]>(
        'UPDATE lab_sessions SET instance_json = ?, slot = ?, status = ? WHERE id = ?',
      )
      .run(JSON.stringify(deployment), deployment.slot, status, id);
  }

  setStatus(id: string, status: StoredLabStatus): void {
    this.db
      .prepare<[StoredLabStatus, string]>('UPDATE lab_sessions SET status = ? WHERE id = ? AND ended_at IS NULL')
      .run(status, id);
  }

  /**
   * The lab began to sleep at `at`; its machines are still stopping (status unchanged). A server
   * killed before they stopped takes it back asleep since then, not since the restart.
   */
  setSleptAt(id: string, at: number): void {
    this.db
      .prepare<[number, string]>('UPDATE lab_sessions SET slept_at = ? WHERE id = ? AND ended_at IS NULL')
      .run(at, id);
  }

  /** The machines were stopped at `at`, after `awakeMs` of being up in all. */
  setAsleep(id: string, at: number, awakeMs: number): void {
    this.db
      .prepare<[number, number, string]>(
        "UPDATE lab_sessions SET status = 'sleeping', slept_at = ?, awake_ms = ? WHERE id = ? AND ended_at IS NULL",
      )
      .run(at, Math.round(awakeMs), id);
  }

  setAwake(id: string, since: number): void {
    this.db
      .prepare<[number, string]>(
        "UPDATE lab_sessions SET status = 'ready', slept_at = NULL, awake_since = ? WHERE id = ? AND ended_at IS NULL",
      )
      .run(since, id);
  }

  /** The learner's earlier sessions of a lab, newest first: where a new session's progress comes from. */
  previousOf(id: string): LabSessionRow[] {
    const sql = `SELECT p.* FROM lab_sessions p JOIN lab_sessions s ON s.learner_id = p.learner_id AND s.lab_id = p.lab_id
      WHERE s.id = ? AND p.id != s.id AND p.created_at <= s.created_at ORDER BY p.created_at DESC, p.rowid DESC`;
    return this.db.prepare<[string], Raw>(sql).all(id).map(toRow);
  }

  touch(id: string, at: number): void {
    this.db
      .prepare<[number, string]>('UPDATE lab_sessions SET last_activity = MAX(last_activity, ?) WHERE id = ?')
      .run(at, id);
  }

  end(id: string, at: number, reason: string): void {
    this.db
      .prepare<[number, string, string]>(
        "UPDATE lab_sessions SET status = 'ended', ended_at = ?, end_reason = ?, instance_json = NULL WHERE id = ? AND ended_at IS NULL",
      )
      .run(at, reason, id);
  }

  /** Whose session it is and of which lab: the key of the progress it counts for. */
  ownerOf(id: string): { learnerId: string; labId: string } | undefined {
    const row = this.db
      .prepare<[string], [string, string]>('SELECT learner_id, lab_id FROM lab_sessions WHERE id = ?')
      .raw()
      .get(id);
    return row && { learnerId: row[0], labId: row[1] };
  }

  get(id: string): LabSessionRow | undefined {
    const raw = this.db.prepare<[string], Raw>('SELECT * FROM lab_sessions WHERE id = ?').get(id);
    return raw && toRow(raw);
  }

  /** Sessions not ended: the ones a restarted server reattaches to. */
  listLive(): LabSessionRow[] {
    return this.db
      .prepare<[], Raw>('SELECT * FROM lab_sessions WHERE ended_at IS NULL ORDER BY created_at')
      .all()
      .map(toRow);
  }

  listByLearner(learnerId: string): LabSessionRow[] {
    return this.db
      .prepare<[string], Raw>('SELECT * FROM lab_sessions WHERE learner_id = ? ORDER BY created_at')
      .all(learnerId)
      .map(toRow);
  }

  /** Every lab of the class's members, any lab, with its stored latest activity: what grades need. */
  activityByClass(classId: string): Pick<LabSessionRow, 'id' | 'learnerId' | 'lastActivity'>[] {
    return this.activityOfClass()
      .all(classId)
      .map(([id, learnerId, lastActivity]) => ({ id, learnerId, lastActivity }));
  }

  private readonly activityOfClass = preparedOnce(() =>
    this.db
      .prepare<[string], [string, string, number]>(
        'SELECT s.id, s.learner_id, s.last_activity FROM lab_sessions s JOIN learners l ON l.id = s.learner_id WHERE l.class_id = ?',
      )
      .raw(),
  );
}
