import type Database from 'better-sqlite3';

export type ScoreStatus = 'pending' | 'sent' | 'failed' | 'superseded';

/** An AGS score as the outbox keeps it: what to send, and how sending it went. */
export interface ScoreRow {
  id: number;
  platformId: string;
  lineItemUrl: string;
  userId: string;
  learnerId: string;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: 'InProgress' | 'Completed';
  gradingProgress: 'FullyGraded';
  timestamp: number;
  status: ScoreStatus;
  tries: number;
  nextTryAt: number;
  lastError: string | null;
  sentAt: number | null;
  createdAt: number;
}

export type NewScore = Omit<ScoreRow, 'id' | 'status' | 'tries' | 'nextTryAt' | 'lastError' | 'sentAt' | 'createdAt'>;

const COLUMNS = `id, platform_id AS platformId, line_item_url AS lineItemUrl, user_id AS userId, learner_id AS learnerId,
  score_given AS scoreGiven, score_maximum AS scoreMaximum, activity_progress AS activityProgress,
  grading_progress AS gradingProgress, timestamp, status, tries, next_try_at AS nextTryAt, last_error AS lastError,
  sent_at AS sentAt, created_at AS createdAt`;

/** The score outbox (lti_scores): written before anything is sent, so no score is lost. */
export class ScoresRepo {
  constructor(private readonly db: Database.Database) {}

  /**
   * Queues the score unless this very state (line item, user, score) was queued before; a
   * newer score makes the older ones still waiting for this line item and user superseded
   * (an LMS keeps the latest score, and one with an older timestamp would be refused anyway).
   */
  enqueue(score: NewScore, now: number): boolean {
    return this.db
      .transaction(() => {
        const added = this.db
          .prepare(
            `INSERT INTO lti_scores (platform_id, line_item_url, user_id, learner_id, score_given, score_maximum,
               activity_progress, grading_progress, timestamp, status, next_try_at, created_at)
             VALUES (@platformId, @lineItemUrl, @userId, @learnerId, @scoreGiven, @scoreMaximum,
               @activityProgress, @gradingProgress, @timestamp, 'pending', @now, @now)
             ON CONFLICT (line_item_url, user_id, score_given, score_maximum) DO NOTHING`,
          )
          .run({ ...score, now });
        if (added.changes === 0) return false;
        this.db
          .prepare(
            `UPDATE lti_scores SET status = 'superseded' WHERE status = 'pending' AND line_item_url = ? AND user_id = ?
               AND timestamp <= ? AND id <> ?`,
          )
          .run(score.lineItemUrl, score.userId, score.timestamp, added.lastInsertRowid);
        return true;
      })
      .immediate();
  }

  due(now: number, limit = 20): ScoreRow[] {
    return this.db
      .prepare<[number, number], ScoreRow>(
        `SELECT ${COLUMNS} FROM lti_scores WHERE status = 'pending' AND next_try_at <= ? ORDER BY next_try_at, id LIMIT ?`,
      )
      .all(now, limit);
  }

  /** When the next waiting score is due, if any. */
  nextDueAt(): number | undefined {
    return (
      this.db.prepare<[], number>(`SELECT MIN(next_try_at) FROM lti_scores WHERE status = 'pending'`).pluck().get() ??
      undefined
    );
  }

  markSent(id: number, now: number): void {
    this.db
      .prepare(`UPDATE lti_scores SET status = 'sent', sent_at = ?, tries = tries + 1, last_error = NULL WHERE id = ?`)
      .run(now, id);
  }

  /** A failed try: again at `retryAt`, or never (status failed) when the LMS refused it for good. */
  markFailed(id: number, error: string, retryAt: number | undefined): void {
    this.db
      .prepare(
        `UPDATE lti_scores SET tries = tries + 1, last_error = ?, status = CASE WHEN ? IS NULL THEN 'failed' ELSE status END,
           next_try_at = COALESCE(?, next_try_at) WHERE id = ?`,
      )
      .run(error.slice(0, 500), retryAt ?? null, retryAt ?? null, id);
  }

  /** The newest scores first, for the instructor's view of what was sent and what failed. */
  recent(limit = 200): ScoreRow[] {
    return this.db.prepare<[number], ScoreRow>(`SELECT ${COLUMNS} FROM lti_scores ORDER BY id DESC LIMIT ?`).all(limit);
  }
}
