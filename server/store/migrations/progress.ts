import { backfillProgress } from '../backfillProgress';
import type { Migration } from './Migration';

// Grading: learners' choices, attempts, progress and the dashboard's summaries. A released migration never changes (see Migration.ts).
export const gradingChoices: Migration = {
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
};

export const learnerProgress: Migration = {
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
};

export const attemptTrigger: Migration = {
  version: 5,
  name: 'attempt-trigger',
  // What started a check: the learner's Check button, a background auto-check, a reset, or a
  // grading run. The dashboard's history tells the learner's own checks apart.
  sql: `ALTER TABLE check_attempts ADD COLUMN trigger TEXT NOT NULL DEFAULT 'check';`,
};

export const stepFailures: Migration = {
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
};

export const classSummaries: Migration = {
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
};

export const oneProgressRecord: Migration = {
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
};
