import type Database from 'better-sqlite3';
import { AttemptsRepo } from './AttemptsRepo';
import { ClassesRepo } from './ClassesRepo';
import { ClassRosterRepo } from './ClassRosterRepo';
import { EventsRepo } from './EventsRepo';
import { GradingChoicesRepo } from './GradingChoicesRepo';
import { InstructorSessionsRepo } from './InstructorSessionsRepo';
import { InstructorsRepo } from './InstructorsRepo';
import { LabSessionsRepo } from './LabSessionsRepo';
import { LearnersRepo } from './LearnersRepo';
import { openDatabase } from './openDatabase';
import { ProgressRepo } from './ProgressRepo';

/** The database and one repository per table; `transaction` groups writes all-or-nothing. */
export class Store {
  readonly instructors: InstructorsRepo;
  readonly instructorSessions: InstructorSessionsRepo;
  readonly classes: ClassesRepo;
  readonly learners: LearnersRepo;
  readonly labSessions: LabSessionsRepo;
  readonly attempts: AttemptsRepo;
  readonly events: EventsRepo;
  readonly gradingChoices: GradingChoicesRepo;
  /** One row per learner and lab; written only by recordAttempt. */
  readonly progress: ProgressRepo;
  readonly roster: ClassRosterRepo;

  constructor(readonly db: Database.Database) {
    this.instructors = new InstructorsRepo(db);
    this.instructorSessions = new InstructorSessionsRepo(db);
    this.classes = new ClassesRepo(db);
    this.learners = new LearnersRepo(db);
    this.labSessions = new LabSessionsRepo(db);
    this.attempts = new AttemptsRepo(db);
    this.events = new EventsRepo(db);
    this.gradingChoices = new GradingChoicesRepo(db);
    this.progress = new ProgressRepo(db);
    this.roster = new ClassRosterRepo(db);
  }

  static open(file: string): Store {
    return new Store(openDatabase(file));
  }

  /** Runs `work` in one IMMEDIATE transaction: if it throws, nothing it wrote stays. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
