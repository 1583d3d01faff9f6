import type Database from 'better-sqlite3';
import { backfillProgress } from './backfillProgress';

/**
 * The schema, as an ordered list of steps. Append only: a released migration never changes,
 * because databases in the field have already run it.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Fills new tables from old ones in TypeScript, in the migration's transaction, after `sql`. */
  backfill?: (db: Database.Database) => void;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'classroom',
    sql: `
      CREATE TABLE instructors (
        id            INTEGER PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at    INTEGER NOT NULL
      );
      CREATE TABLE classes (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        join_code  TEXT NOT NULL UNIQUE,
        api_token  TEXT NOT NULL,
        lab_id     TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        ended_at   INTEGER
      );
      CREATE TABLE learners (
        id           TEXT PRIMARY KEY,
        display_name TEXT NOT NULL,
        class_id     TEXT REFERENCES classes(id),
        created_at   INTEGER NOT NULL
      );
      CREATE INDEX learners_by_class ON learners(class_id);
      CREATE TABLE lab_sessions (
        id            TEXT PRIMARY KEY,
        learner_id    TEXT NOT NULL REFERENCES learners(id),
        lab_id        TEXT NOT NULL,
        slot          INTEGER,
        instance_json TEXT,
        status        TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        ended_at      INTEGER,
        end_reason    TEXT,
        last_activity INTEGER NOT NULL
      );
      CREATE INDEX lab_sessions_by_learner ON lab_sessions(learner_id);
      CREATE INDEX lab_sessions_live ON lab_sessions(ended_at);
      CREATE TABLE check_attempts (
        id             INTEGER PRIMARY KEY,
        lab_session_id TEXT NOT NULL REFERENCES lab_sessions(id),
        step_id        TEXT NOT NULL,
        at             INTEGER NOT NULL,
        passed         INTEGER NOT NULL CHECK (passed IN (0, 1)),
        message        TEXT NOT NULL
      );
      CREATE INDEX check_attempts_by_session ON check_attempts(lab_session_id, step_id);
      CREATE TABLE lab_events (
        id             INTEGER PRIMARY KEY,
        lab_session_id TEXT NOT NULL REFERENCES lab_sessions(id),
        at             INTEGER NOT NULL,
        kind           TEXT NOT NULL,
        detail_json    TEXT NOT NULL
      );
      CREATE INDEX lab_events_by_session ON lab_events(lab_session_id);
    `,
  },
  {
    version: 2,
    name: 'grading-choices',
    sql: `
      CREATE TABLE grading_settings (
        lab_session_id TEXT PRIMARY KEY REFERENCES lab_sessions(id),
        auto_check     INTEGER NOT NULL CHECK (auto_check IN (0, 1))
      );
      CREATE TABLE step_answers (
        lab_session_id TEXT NOT NULL REFERENCES lab_sessions(id),
        step_id        TEXT NOT NULL,
        question_id    TEXT NOT NULL,
        answer         TEXT NOT NULL,
        PRIMARY KEY (lab_session_id, step_id, question_id)
      );
      CREATE TABLE step_hints (
        lab_session_id TEXT NOT NULL REFERENCES lab_sessions(id),
        step_id        TEXT NOT NULL,
        revealed       INTEGER NOT NULL CHECK (revealed >= 0),
        PRIMARY KEY (lab_session_id, step_id)
      );
    `,
  },
  {
    version: 3,
    name: 'learner-progress',
    // Per class member and step: what dashboards and grades need, kept up to date by a trigger as
    // attempts are recorded, so a class view is one range scan instead of every attempt.
    sql: `
      CREATE TABLE learner_progress (
        class_id      TEXT NOT NULL REFERENCES classes(id),
        learner_id    TEXT NOT NULL REFERENCES learners(id),
        step_id       TEXT NOT NULL,
        attempts      INTEGER NOT NULL,
        first_pass_at INTEGER,
        last_pass_at  INTEGER,
        last_at       INTEGER NOT NULL,
        PRIMARY KEY (class_id, learner_id, step_id)
      ) WITHOUT ROWID;
      INSERT INTO learner_progress (class_id, learner_id, step_id, attempts, first_pass_at, last_pass_at, last_at)
        SELECT l.class_id, l.id, a.step_id, COUNT(*), MIN(CASE WHEN a.passed = 1 THEN a.at END), MAX(CASE WHEN a.passed = 1 THEN a.at END), MAX(a.at)
        FROM check_attempts a JOIN lab_sessions s ON s.id = a.lab_session_id JOIN learners l ON l.id = s.learner_id
        WHERE l.class_id IS NOT NULL GROUP BY l.class_id, l.id, a.step_id;
      CREATE TRIGGER check_attempts_progress AFTER INSERT ON check_attempts BEGIN
        INSERT INTO learner_progress (class_id, learner_id, step_id, attempts, first_pass_at, last_pass_at, last_at)
          SELECT l.class_id, l.id, NEW.step_id, 1, CASE WHEN NEW.passed = 1 THEN NEW.at END, CASE WHEN NEW.passed = 1 THEN NEW.at END, NEW.at
          FROM lab_sessions s JOIN learners l ON l.id = s.learner_id
          WHERE s.id = NEW.lab_session_id AND l.class_id IS NOT NULL
          ON CONFLICT (class_id, learner_id, step_id) DO UPDATE SET
            attempts = attempts + 1,
            first_pass_at = MIN(COALESCE(first_pass_at, excluded.first_pass_at), COALESCE(excluded.first_pass_at, first_pass_at)),
            last_pass_at = MAX(COALESCE(last_pass_at, excluded.last_pass_at), COALESCE(excluded.last_pass_at, last_pass_at)),
            last_at = MAX(last_at, excluded.last_at);
      END;
    `,
  },
  {
    version: 4,
    name: 'instructor-sessions-and-token-hashes',
    // Instructor sessions live server-side so sign-out and a password change end them. Class
    // API tokens are kept only as SHA-256 hashes (sha256_hex is registered by openDatabase).
    sql: `
      CREATE TABLE instructor_sessions (
        token_hash TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      UPDATE classes SET api_token = 'sha256:' || sha256_hex(api_token) WHERE api_token NOT LIKE 'sha256:%';
    `,
  },
  {
    version: 5,
    name: 'attempt-trigger',
    // What started a check: the learner's Check button, a background auto-check, a reset, or a
    // grading run. The dashboard's history tells the learner's own checks apart.
    sql: `ALTER TABLE check_attempts ADD COLUMN trigger TEXT NOT NULL DEFAULT 'check';`,
  },
  {
    version: 6,
    name: 'sleeping-labs',
    // A sleeping lab keeps its row (and machines). awake_ms is how long its machines were up
    // before the last sleep and awake_since when they last came up: a maximum age counts awake
    // time only.
    sql: `
      ALTER TABLE lab_sessions ADD COLUMN slept_at INTEGER;
      ALTER TABLE lab_sessions ADD COLUMN awake_ms INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE lab_sessions ADD COLUMN awake_since INTEGER;
    `,
  },
  {
    version: 7,
    name: 'step-failures',
    // Per class, step and failure message: which class members got it and how often, kept by a
    // trigger like learner_progress, so "where is the class stuck" is one range scan of the class.
    sql: `
      CREATE TABLE step_failures (
        class_id   TEXT NOT NULL REFERENCES classes(id),
        step_id    TEXT NOT NULL,
        message    TEXT NOT NULL,
        learner_id TEXT NOT NULL REFERENCES learners(id),
        attempts   INTEGER NOT NULL,
        PRIMARY KEY (class_id, step_id, message, learner_id)
      ) WITHOUT ROWID;
      INSERT INTO step_failures (class_id, step_id, message, learner_id, attempts)
        SELECT l.class_id, a.step_id, a.message, l.id, COUNT(*)
        FROM check_attempts a JOIN lab_sessions s ON s.id = a.lab_session_id JOIN learners l ON l.id = s.learner_id
        WHERE a.passed = 0 AND l.class_id IS NOT NULL GROUP BY l.class_id, a.step_id, a.message, l.id;
      CREATE TRIGGER check_attempts_failures AFTER INSERT ON check_attempts WHEN NEW.passed = 0 BEGIN
        INSERT INTO step_failures (class_id, step_id, message, learner_id, attempts)
          SELECT l.class_id, NEW.step_id, NEW.message, l.id, 1
          FROM lab_sessions s JOIN learners l ON l.id = s.learner_id
          WHERE s.id = NEW.lab_session_id AND l.class_id IS NOT NULL
          ON CONFLICT (class_id, step_id, message, learner_id) DO UPDATE SET attempts = attempts + 1;
      END;
    `,
  },
  {
    version: 8,
    name: 'class-summaries',
    // A dashboard snapshot reads every class member each few seconds; these keep what it reads
    // ready, so it costs a row per learner and per failure message instead of aggregating
    // thousands of rows each time. learner_summaries holds a learner's learner_progress rows as
    // one JSON array ([step, first_pass_at, last_pass_at, last_at] each, by step), rebuilt when
    // one of them changes; step_failure_counts holds step_failures summed over learners. The
    // index finds a learner's latest lab of a lab without sorting their labs.
    sql: `
      CREATE TABLE learner_summaries (
        class_id      TEXT NOT NULL REFERENCES classes(id),
        learner_id    TEXT NOT NULL REFERENCES learners(id),
        progress_json TEXT NOT NULL,
        PRIMARY KEY (class_id, learner_id)
      ) WITHOUT ROWID;
      INSERT INTO learner_summaries (class_id, learner_id, progress_json)
        SELECT class_id, learner_id, json_group_array(json_array(step_id, first_pass_at, last_pass_at, last_at) ORDER BY step_id)
        FROM learner_progress GROUP BY class_id, learner_id;
      CREATE TRIGGER learner_progress_summary_insert AFTER INSERT ON learner_progress BEGIN
        INSERT INTO learner_summaries (class_id, learner_id, progress_json)
          SELECT NEW.class_id, NEW.learner_id, json_group_array(json_array(step_id, first_pass_at, last_pass_at, last_at) ORDER BY step_id)
          FROM learner_progress WHERE class_id = NEW.class_id AND learner_id = NEW.learner_id
          ON CONFLICT (class_id, learner_id) DO UPDATE SET progress_json = excluded.progress_json;
      END;
      CREATE TRIGGER learner_progress_summary_update AFTER UPDATE ON learner_progress BEGIN
        UPDATE learner_summaries SET progress_json = (
          SELECT json_group_array(json_array(step_id, first_pass_at, last_pass_at, last_at) ORDER BY step_id)
          FROM learner_progress WHERE class_id = NEW.class_id AND learner_id = NEW.learner_id
        ) WHERE class_id = NEW.class_id AND learner_id = NEW.learner_id;
      END;

      CREATE TABLE step_failure_counts (
        class_id TEXT NOT NULL REFERENCES classes(id),
        step_id  TEXT NOT NULL,
        message  TEXT NOT NULL,
        learners INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        PRIMARY KEY (class_id, step_id, message)
      ) WITHOUT ROWID;
      INSERT INTO step_failure_counts (class_id, step_id, message, learners, attempts)
        SELECT class_id, step_id, message, COUNT(*), SUM(attempts) FROM step_failures GROUP BY class_id, step_id, message;
      CREATE TRIGGER step_failures_count_insert AFTER INSERT ON step_failures BEGIN
        INSERT INTO step_failure_counts (class_id, step_id, message, learners, attempts)
          VALUES (NEW.class_id, NEW.step_id, NEW.message, 1, NEW.attempts)
          ON CONFLICT (class_id, step_id, message) DO UPDATE SET learners = learners + 1, attempts = attempts + excluded.attempts;
      END;
      CREATE TRIGGER step_failures_count_update AFTER UPDATE OF attempts ON step_failures BEGIN
        UPDATE step_failure_counts SET attempts = attempts + NEW.attempts - OLD.attempts
          WHERE class_id = NEW.class_id AND step_id = NEW.step_id AND message = NEW.message;
      END;

      CREATE INDEX lab_sessions_latest ON lab_sessions(learner_id, lab_id, created_at);
    `,
  },
  {
    version: 9,
    name: 'one-progress-record',
    // Progress is one row per learner and lab, written by recordAttempt (TypeScript) in the same
    // transaction as the attempt, by the rules the learner's page shows. The triggers that kept
    // four tables of class aggregates go; the rows are replayed from the attempts.
    sql: `
      DROP TRIGGER check_attempts_progress;
      DROP TRIGGER check_attempts_failures;
      DROP TRIGGER learner_progress_summary_insert;
      DROP TRIGGER learner_progress_summary_update;
      DROP TRIGGER step_failures_count_insert;
      DROP TRIGGER step_failures_count_update;
      DROP TABLE learner_summaries;
      DROP TABLE learner_progress;
      DROP TABLE step_failure_counts;
      DROP TABLE step_failures;
      CREATE TABLE progress (
        learner_id TEXT NOT NULL REFERENCES learners(id),
        lab_id     TEXT NOT NULL,
        steps_json TEXT NOT NULL,
        last_at    INTEGER,
        PRIMARY KEY (learner_id, lab_id)
      ) WITHOUT ROWID;
    `,
    backfill: backfillProgress,
  },
  {
    version: 10,
    name: 'removed-learners',
    // An instructor can remove a learner from a class: their cookie stops working, server-side.
    sql: `ALTER TABLE learners ADD COLUMN removed_at INTEGER;`,
  },
  {
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
  },
  {
    version: 12,
    name: 'lab journal',
    sql: `
      CREATE TABLE journal_events (
        id         INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL,
        at         INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        data_json  TEXT NOT NULL
      );
      CREATE INDEX journal_events_by_session ON journal_events(session_id, kind, id);
    `,
  },
  {
    version: 13,
    name: 'journal goes with its lab session',
    // Whatever deletes a lab session's row (retention, erasing a learner) takes its journal with
    // it, so no deletion path can forget the journal. Rows of sessions already gone go now.
    sql: `
      CREATE TRIGGER journal_events_follow_lab_session AFTER DELETE ON lab_sessions
      BEGIN
        DELETE FROM journal_events WHERE session_id = OLD.id;
      END;
      DELETE FROM journal_events WHERE session_id NOT IN (SELECT id FROM lab_sessions);
    `,
  },
  {
    version: 14,
    name: 'expected class size',
    // How many learners the instructor expects: labs are warmed for them before they join.
    sql: `ALTER TABLE classes ADD COLUMN expected_size INTEGER;`,
  },
];
