/**
 * Where check attempts are kept. The shape matches server/store/AttemptsRepo (SQLite), so the
 * server can pass `store.attempts` for persistence; InMemoryAttemptStore serves tests and scripts.
 */
export interface AttemptRecord {
  labSessionId: string;
  stepId: string;
  /** Epoch milliseconds. */
  at: number;
  passed: boolean;
  message: string;
  /** What started the check; older records have none (a Check press). */
  trigger?: 'check' | 'auto' | 'grade' | 'reset';
}

export interface AttemptStore {
  record(attempt: AttemptRecord): unknown;
  /**
   * Every attempt that counts for the session, oldest first. The server's store counts the
   * learner's earlier sessions of the same lab too, so progress follows the learner.
   */
  listBySession(labSessionId: string): AttemptRecord[];
}

export class InMemoryAttemptStore implements AttemptStore {
  private readonly bySession = new Map<string, AttemptRecord[]>();

  record(attempt: AttemptRecord): AttemptRecord {
    const list = this.bySession.get(attempt.labSessionId) ?? [];
    list.push({ ...attempt });
    this.bySession.set(attempt.labSessionId, list);
    return attempt;
  }

  listBySession(labSessionId: string): AttemptRecord[] {
    return [...(this.bySession.get(labSessionId) ?? [])].sort((a, b) => a.at - b.at);
  }

  /** Frees a finished session's attempts (the SQLite store keeps them for grades instead). */
  forget(labSessionId: string): void {
    this.bySession.delete(labSessionId);
  }
}
