import type Database from 'better-sqlite3';

export interface ClassRow {
  id: string;
  name: string;
  joinCode: string;
  /** 'sha256:<hex>' of the bearer token for automated grade pulls; the token itself is never stored. */
  apiTokenHash: string;
  labId: string;
  createdAt: number;
  endedAt: number | null;
  /** Learners the instructor expects (labs are warmed for them ahead); null: none said. */
  expectedSize: number | null;
}

interface Raw {
  id: string;
  name: string;
  join_code: string;
  api_token: string;
  lab_id: string;
  created_at: number;
  ended_at: number | null;
  expected_size: number | null;
}

const toRow = (r: Raw): ClassRow => ({
  id: r.id,
  name: r.name,
  joinCode: r.join_code,
  apiTokenHash: r.api_token,
  labId: r.lab_id,
  createdAt: r.created_at,
  endedAt: r.ended_at,
  expectedSize: r.expected_size,
});

export class ClassesRepo {
  constructor(private readonly db: Database.Database) {}

  create(row: Omit<ClassRow, 'endedAt' | 'expectedSize'> & { expectedSize?: number | null }): ClassRow {
    this.db
      .prepare<[string, string, string, string, string, number, number | null]>(
        'INSERT INTO classes (id, name, join_code, api_token, lab_id, created_at, expected_size) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(row.id, row.name, row.joinCode, row.apiTokenHash, row.labId, row.createdAt, row.expectedSize ?? null);
    return { ...row, expectedSize: row.expectedSize ?? null, endedAt: null };
  }

  /** How many learners the most recently created class has (removed ones included): 0 without a class. */
  lastRosterSize(): number {
    return (
      this.db
        .prepare<[], number>(
          'SELECT (SELECT count(*) FROM learners WHERE class_id = c.id) FROM classes c ORDER BY created_at DESC LIMIT 1',
        )
        .pluck()
        .get() ?? 0
    );
  }

  get(id: string): ClassRow | undefined {
    const raw = this.db.prepare<[string], Raw>('SELECT * FROM classes WHERE id = ?').get(id);
    return raw && toRow(raw);
  }

  byJoinCode(joinCode: string): ClassRow | undefined {
    const raw = this.db.prepare<[string], Raw>('SELECT * FROM classes WHERE join_code = ?').get(joinCode);
    return raw && toRow(raw);
  }

  list(): ClassRow[] {
    return this.db.prepare<[], Raw>('SELECT * FROM classes ORDER BY created_at DESC').all().map(toRow);
  }

  setApiTokenHash(id: string, apiTokenHash: string): void {
    this.db.prepare<[string, string]>('UPDATE classes SET api_token = ? WHERE id = ?').run(apiTokenHash, id);
  }

  end(id: string, at: number): void {
    this.db.prepare<[number, string]>('UPDATE classes SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(at, id);
  }
}
