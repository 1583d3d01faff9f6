import type Database from 'better-sqlite3';
import { z } from 'zod';
import { emptyProgress, type Progress, type StepProgress } from '../grading/progress';
import { preparedOnce } from './preparedOnce';

const stepProgressSchema: z.ZodType<StepProgress> = z.object({
  tries: z.number().int().nonnegative(),
  firstPassAt: z.number().nullable(),
  lastPassAt: z.number().nullable(),
  lastAt: z.number(),
  lastPassed: z.boolean(),
  lastMessage: z.string(),
  passMessage: z.string().nullable(),
});
const stepsSchema = z.record(z.string(), stepProgressSchema);

/**
 * The stored steps of a learner's progress. Stored JSON is still untrusted (a file edited by hand,
 * another server's version): anything else throws, naming the learner, rather than showing a
 * wrong dashboard or grade.
 */
export function readProgressSteps(learnerId: string, text: string): Progress['steps'] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unreadable(learnerId);
  }
  const parsed = stepsSchema.safeParse(value);
  if (!parsed.success) throw unreadable(learnerId);
  return parsed.data;
}

const unreadable = (learnerId: string): Error => new Error(`the stored progress of learner ${learnerId} is unreadable`);

/** The rows of the progress table: one per learner and lab. Written only by recordAttempt. */
export class ProgressRepo {
  constructor(private readonly db: Database.Database) {}

  private readonly one = preparedOnce(() =>
    this.db
      .prepare<[string, string], [string, number | null]>(
        'SELECT steps_json, last_at FROM progress WHERE learner_id = ? AND lab_id = ?',
      )
      .raw(),
  );

  private readonly upsert = preparedOnce(() =>
    this.db.prepare<[string, string, string, number | null]>(
      `INSERT INTO progress (learner_id, lab_id, steps_json, last_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (learner_id, lab_id) DO UPDATE SET steps_json = excluded.steps_json, last_at = excluded.last_at`,
    ),
  );

  /** The learner's progress on the lab; empty when they have tried nothing. */
  get(learnerId: string, labId: string): Progress {
    const row = this.one().get(learnerId, labId);
    if (!row) return emptyProgress(learnerId, labId);
    return { learnerId, labId, steps: readProgressSteps(learnerId, row[0]), lastAt: row[1] };
  }

  /** Only for recordAttempt and the migration that back-fills the table. */
  put(progress: Progress): void {
    this.upsert().run(progress.learnerId, progress.labId, JSON.stringify(progress.steps), progress.lastAt);
  }

  /** The progress of every class member who has tried something of the lab. */
  listByClass(classId: string, labId: string): Progress[] {
    const sql = `SELECT p.learner_id, p.steps_json, p.last_at FROM progress p JOIN learners l ON l.id = p.learner_id
      WHERE l.class_id = ? AND p.lab_id = ?`;
    return this.db
      .prepare<[string, string], [string, string, number | null]>(sql)
      .raw()
      .all(classId, labId)
      .map(([learnerId, json, lastAt]) => ({ learnerId, labId, steps: readProgressSteps(learnerId, json), lastAt }));
  }
}
