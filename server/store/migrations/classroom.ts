import type { Migration } from './Migration';

// Classes, learners and instructors. A released migration never changes (see Migration.ts).
export const classroom: Migration = {
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
};

export const instructorSessions: Migration = {
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
};

export const removedLearners: Migration = {
  version: 10,
  name: 'removed-learners',
  // An instructor can remove a learner from a class: their cookie stops working, server-side.
  sql: `ALTER TABLE learners ADD COLUMN removed_at INTEGER;`,
};

export const expectedClassSize: Migration = {
  version: 14,
  name: 'expected class size',
  // How many learners the instructor expects: labs are warmed for them before they join.
  sql: `ALTER TABLE classes ADD COLUMN expected_size INTEGER;`,
};
