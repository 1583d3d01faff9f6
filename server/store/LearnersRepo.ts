import type Database from 'better-sqlite3';

export interface LearnerRow {
  id: string;
  displayName: string;
  classId: string | null;
  createdAt: number;
}

interface Raw {
  id: string;
  display_name: string;
  class_id: string | null;
  created_at: number;
}

const toRow = (r: Raw): LearnerRow => ({
  id: r.id,
  displayName: r.display_name,
  classId: r.class_id,
  createdAt: r.created_at,
});

export class LearnersRepo {
  constructor(private readonly db: Database.Database) {}

  create(row: LearnerRow): LearnerRow {
    this.db
      .prepare<[string, string, string | null, number]>(
        'INSERT INTO learners (id, display_name, class_id, created_at) VALUES (?, ?, ?, ?)',
      )
      .run(row.id, row.displayName, row.classId, row.createdAt);
    return row;
  }

  /** Learners who never joined a class (guests) get a row the first time they start a lab. */
  ensure(id: string, displayName: string, at: number): void {
    this.db
      .prepare<[string, string, number]>(
        'INSERT INTO learners (id, display_name, class_id, created_at) VALUES (?, ?, NULL, ?) ON CONFLICT(id) DO NOTHING',
      )
      .run(id, displayName, at);
  }

  get(id: string): LearnerRow | undefined {
    const raw = this.db
      .prepare<[string], Raw>('SELECT id, display_name, class_id, created_at FROM learners WHERE id = ?')
      .get(id);
    return raw && toRow(raw);
  }

  /** Removes the learner from their class for good: their cookie no longer signs anybody in. */
  remove(id: string, at: number): void {
    this.db
      .prepare<[number, string]>('UPDATE learners SET removed_at = ? WHERE id = ? AND removed_at IS NULL')
      .run(at, id);
  }

  isRemoved(id: string): boolean {
    return (
      this.db
        .prepare<[string], number>('SELECT 1 FROM learners WHERE id = ? AND removed_at IS NOT NULL')
        .pluck()
        .get(id) !== undefined
    );
  }

  /** The class's members, in joining order; removed learners are no longer members. */
  listByClass(classId: string): LearnerRow[] {
    return this.db
      .prepare<[string], Raw>(
        'SELECT id, display_name, class_id, created_at FROM learners WHERE class_id = ? AND removed_at IS NULL ORDER BY created_at, id',
      )
      .all(classId)
      .map(toRow);
  }
}
