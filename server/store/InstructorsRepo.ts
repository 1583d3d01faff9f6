import type Database from 'better-sqlite3';

/** One instructor account per server for now (id 1); the table allows more later. */
export interface InstructorRow {
  id: number;
  passwordHash: string;
  createdAt: number;
}

interface Raw {
  id: number;
  password_hash: string;
  created_at: number;
}

export class InstructorsRepo {
  constructor(private readonly db: Database.Database) {}

  get(id = 1): InstructorRow | undefined {
    const raw = this.db.prepare<[number], Raw>('SELECT * FROM instructors WHERE id = ?').get(id);
    return raw && { id: raw.id, passwordHash: raw.password_hash, createdAt: raw.created_at };
  }

  /** Sets the password only if none is set yet; returns whether it did (first-start setup races). */
  createIfNone(passwordHash: string, id = 1): boolean {
    const result = this.db
      .prepare<[number, string, number]>(
        'INSERT INTO instructors (id, password_hash, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING',
      )
      .run(id, passwordHash, Date.now());
    return result.changes === 1;
  }

  setPassword(passwordHash: string, id = 1): void {
    this.db
      .prepare<[number, string, number]>(
        'INSERT INTO instructors (id, password_hash, created_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET password_hash = excluded.password_hash',
      )
      .run(id, passwordHash, Date.now());
  }
}
