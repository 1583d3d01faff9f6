import type Database from 'better-sqlite3';

/** A line item a learner's scores go to: the whole lab (stepId null) or one step. */
export interface LineItemLink {
  learnerId: string;
  lineItemUrl: string;
  platformId: string;
  labId: string;
  stepId: string | null;
  /** The LMS's id of the learner (the id_token's sub), which scores are posted for. */
  userId: string;
}

const LOGIN_TTL_MS = 10 * 60_000;

/** OIDC logins, and what LMS courses and users became here: classes, learners, line items. */
export class LaunchRepo {
  constructor(private readonly db: Database.Database) {}

  startLogin(state: string, nonce: string, platformId: string, now: number): void {
    this.db.prepare('DELETE FROM lti_logins WHERE created_at < ?').run(now - LOGIN_TTL_MS);
    this.db
      .prepare('INSERT INTO lti_logins (state, nonce, platform_id, created_at) VALUES (?, ?, ?, ?)')
      .run(state, nonce, platformId, now);
  }

  /**
   * Spends a login's state: its nonce and platform, once, within ten minutes of the login. A
   * second launch with the same state (a replayed id_token) finds nothing.
   */
  spendLogin(state: string, now: number): { nonce: string; platformId: string } | undefined {
    const row = this.db
      .prepare<[number, string, number], { nonce: string; platform_id: string }>(
        'UPDATE lti_logins SET used_at = ? WHERE state = ? AND used_at IS NULL AND created_at >= ? RETURNING nonce, platform_id',
      )
      .get(now, state, now - LOGIN_TTL_MS);
    return row && { nonce: row.nonce, platformId: row.platform_id };
  }

  classOf(platformId: string, contextId: string, labId: string): string | undefined {
    return this.db
      .prepare<[string, string, string], string>(
        'SELECT class_id FROM lti_contexts WHERE platform_id = ? AND context_id = ? AND lab_id = ?',
      )
      .pluck()
      .get(platformId, contextId, labId);
  }

  linkClass(platformId: string, contextId: string, labId: string, classId: string): void {
    this.db
      .prepare('INSERT INTO lti_contexts (platform_id, context_id, lab_id, class_id) VALUES (?, ?, ?, ?)')
      .run(platformId, contextId, labId, classId);
  }

  learnerOf(platformId: string, sub: string, classId: string): string | undefined {
    return this.db
      .prepare<[string, string, string], string>(
        'SELECT learner_id FROM lti_users WHERE platform_id = ? AND sub = ? AND class_id = ?',
      )
      .pluck()
      .get(platformId, sub, classId);
  }

  linkLearner(platformId: string, sub: string, classId: string, learnerId: string): void {
    this.db
      .prepare('INSERT INTO lti_users (platform_id, sub, class_id, learner_id) VALUES (?, ?, ?, ?)')
      .run(platformId, sub, classId, learnerId);
  }

  /** The LMS user id a learner was created for. */
  userIdOf(learnerId: string): string | undefined {
    return this.db.prepare<[string], string>('SELECT sub FROM lti_users WHERE learner_id = ?').pluck().get(learnerId);
  }

  saveLineItem(link: Omit<LineItemLink, 'userId'>): void {
    this.db
      .prepare(
        `INSERT INTO lti_line_items (learner_id, line_item_url, platform_id, lab_id, step_id)
         VALUES (@learnerId, @lineItemUrl, @platformId, @labId, @stepId)
         ON CONFLICT (learner_id, line_item_url) DO UPDATE SET lab_id = excluded.lab_id, step_id = excluded.step_id`,
      )
      .run(link);
  }

  lineItemsOf(learnerId: string): LineItemLink[] {
    return this.db
      .prepare<[string], LineItemLink>(
        `SELECT i.learner_id AS learnerId, i.line_item_url AS lineItemUrl, i.platform_id AS platformId,
                i.lab_id AS labId, i.step_id AS stepId, u.sub AS userId
         FROM lti_line_items i JOIN lti_users u ON u.learner_id = i.learner_id
         WHERE i.learner_id = ?`,
      )
      .all(learnerId);
  }
}
