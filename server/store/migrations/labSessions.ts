import type { Migration } from './Migration';

// Lab sessions: their life, sleep included. A released migration never changes (see Migration.ts).
export const sleepingLabs: Migration = {
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
};
