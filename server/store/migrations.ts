import type { Migration } from './migrations/Migration';
import { classroom, instructorSessions, removedLearners, expectedClassSize } from './migrations/classroom';
import {
  gradingChoices,
  learnerProgress,
  attemptTrigger,
  stepFailures,
  classSummaries,
  oneProgressRecord,
} from './migrations/progress';
import { sleepingLabs } from './migrations/labSessions';
import { lti } from './migrations/lti';
import { labJournal, journalGoesWithSession, connectionListKind } from './migrations/journal';

export type { Migration } from './migrations/Migration';

/** Every migration in the order databases run them (by version); each group's file holds one idea. */
export const migrations: readonly Migration[] = [
  classroom,
  gradingChoices,
  learnerProgress,
  instructorSessions,
  attemptTrigger,
  sleepingLabs,
  stepFailures,
  classSummaries,
  oneProgressRecord,
  removedLearners,
  lti,
  labJournal,
  journalGoesWithSession,
  expectedClassSize,
  connectionListKind,
];
