import type Database from 'better-sqlite3';

/** Signed-in instructor sessions, by the SHA-256 of their cookie value (the value itself is never stored). */
export class InstructorSessionsRepo {
  constructor(private readonly db: Database.Database) {}

  create(tokenHash: string, createdAt: number, expiresAt: number): void {
    this.db
      .prepare<[string, number, number]>(
        'INSERT INTO instructor_sessions (token_hash, created_at, expires_at) VALUES (?, ?, ?)',
      )
      .run(tokenHash, createdAt, expiresAt);
  }

  isLive(tokenHash: string, now: number): boolean {
    return (
      this.db
        .prepare<[string, number], 1>('SELECT 1 FROM instructor_sessions WHERE token_hash = ? AND expires_at > ?')
        .pluck()
        .get(tokenHash, now) !== undefined
    );
  }

  delete(tokenHash: string): void {
    this.db.prepare<[string]>('DELETE FROM instructor_sessions WHERE token_hash = ?').run(tokenHash);
  }

  deleteAll(): void {
    this.db.prepare<[]>('DELETE FROM instructor_sessions').run();
  }

  deleteExpired(now: number): void {
    this.db.prepare<[number]>('DELETE FROM instructor_sessions WHERE expires_at <= ?').run(now);
  }
}
