import type { Migration } from './Migration';

// LTI: platforms, launches and the score outbox. A released migration never changes (see Migration.ts).
export const lti: Migration = {
  version: 11,
  name: 'lti',
  // LTI 1.3: the LMSs (platforms) an instructor registered and their deployments; each OIDC
  // login's state and nonce (a state is spent by its launch, so a nonce is used once); which
  // class an LMS course (context) became for a lab, and which learner an LMS user became in
  // it; where a learner's scores go (a line item); and the score outbox, so a score outlives
  // an LMS that is down and a server restart. A score is one row per line item, user and
  // value, so the same state is never queued, and so never sent, twice.
  sql: `
      CREATE TABLE lti_platforms (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        issuer     TEXT NOT NULL,
        client_id  TEXT NOT NULL,
        auth_url   TEXT NOT NULL,
        token_url  TEXT NOT NULL,
        jwks_url   TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (issuer, client_id)
      );
      CREATE TABLE lti_deployments (
        platform_id   TEXT NOT NULL REFERENCES lti_platforms(id) ON DELETE CASCADE,
        deployment_id TEXT NOT NULL,
        PRIMARY KEY (platform_id, deployment_id)
      ) WITHOUT ROWID;
      CREATE TABLE lti_logins (
        state       TEXT PRIMARY KEY,
        nonce       TEXT NOT NULL UNIQUE,
        platform_id TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        used_at     INTEGER
      );
      CREATE INDEX lti_logins_by_age ON lti_logins(created_at);
      CREATE TABLE lti_contexts (
        platform_id TEXT NOT NULL,
        context_id  TEXT NOT NULL,
        lab_id      TEXT NOT NULL,
        class_id    TEXT NOT NULL REFERENCES classes(id),
        PRIMARY KEY (platform_id, context_id, lab_id)
      ) WITHOUT ROWID;
      CREATE TABLE lti_users (
        platform_id TEXT NOT NULL,
        sub         TEXT NOT NULL,
        class_id    TEXT NOT NULL REFERENCES classes(id),
        learner_id  TEXT NOT NULL UNIQUE REFERENCES learners(id),
        PRIMARY KEY (platform_id, sub, class_id)
      ) WITHOUT ROWID;
      CREATE TABLE lti_line_items (
        learner_id    TEXT NOT NULL REFERENCES learners(id),
        line_item_url TEXT NOT NULL,
        platform_id   TEXT NOT NULL,
        lab_id        TEXT NOT NULL,
        step_id       TEXT,
        PRIMARY KEY (learner_id, line_item_url)
      ) WITHOUT ROWID;
      CREATE TABLE lti_scores (
        id                INTEGER PRIMARY KEY,
        platform_id       TEXT NOT NULL,
        line_item_url     TEXT NOT NULL,
        user_id           TEXT NOT NULL,
        learner_id        TEXT NOT NULL,
        score_given       REAL NOT NULL,
        score_maximum     REAL NOT NULL,
        activity_progress TEXT NOT NULL,
        grading_progress  TEXT NOT NULL,
        timestamp         INTEGER NOT NULL,
        status            TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'superseded')),
        tries             INTEGER NOT NULL DEFAULT 0,
        next_try_at       INTEGER NOT NULL,
        last_error        TEXT,
        sent_at           INTEGER,
        created_at        INTEGER NOT NULL,
        UNIQUE (line_item_url, user_id, score_given, score_maximum)
      );
      CREATE INDEX lti_scores_due ON lti_scores(status, next_try_at);
    `,
};
