import { HttpError } from '../http/HttpError';
import { LabSessionError, type LabSessions } from '../sessions/LabSessions';
import type { ClassRow } from '../store/ClassesRepo';
import type { LabSession } from '../sessions/labSessionTypes';
import type { Store } from '../store/Store';
import type { ClassroomChanges } from './ClassroomChanges';
import type { StepRef } from './grades';
import { apiTokenHash, classIdSchema, learnerIdSchema, newApiToken, newClassId } from './ids';
import { newJoinCode } from './joinCode';
import type { RosterWarming } from './RosterWarming';

/** Class-level operations shared by the HTTP routes, the dashboard socket and `npm run grade`. */
export class ClassroomService {
  constructor(
    readonly store: Store,
    readonly sessions: LabSessions,
    readonly changes: ClassroomChanges,
    readonly steps: (labId: string) => StepRef[],
    /** Warms labs for a new class's expected learners (none when roster warming is off). */
    private readonly warming?: Pick<RosterWarming, 'created'>,
  ) {}

  /**
   * The new class, and its API token: the only time it is shown (only its hash is kept). Without
   * an expected size, the class is expected to be as large as the last class was; labs for that
   * many learners start warming now.
   */
  createClass(name: string, labId: string, expectedSize?: number): { row: ClassRow; apiToken: string } {
    const apiToken = newApiToken();
    const size = expectedSize ?? this.store.classes.lastRosterSize();
    for (let attempt = 0; ; attempt++) {
      try {
        const row = this.store.classes.create({
          id: newClassId(),
          name,
          joinCode: newJoinCode(),
          apiTokenHash: apiTokenHash(apiToken),
          labId,
          createdAt: Date.now(),
          expectedSize: size,
        });
        this.changes.notify();
        this.warming?.created(row);
        return { row, apiToken };
      } catch (error) {
        // A join-code collision (1 in 2^40 per live class) just draws again.
        if (attempt < 5 && error instanceof Error && /UNIQUE/.test(error.message)) continue;
        throw error;
      }
    }
  }

  /** A fresh API token for the class; the old one stops working. */
  regenerateApiToken(cls: ClassRow): string {
    const apiToken = newApiToken();
    this.store.classes.setApiTokenHash(cls.id, apiTokenHash(apiToken));
    return apiToken;
  }

  /** The class, or a 4xx saying what is wrong with the id. */
  classOr404(rawId: unknown): ClassRow {
    const id = classIdSchema.safeParse(rawId);
    if (!id.success) throw new HttpError(400, 'Not a class id');
    const cls = this.store.classes.get(id.data);
    if (!cls) throw new HttpError(404, 'No such class');
    return cls;
  }

  learnerOr404(cls: ClassRow, rawId: unknown): { id: string; displayName: string } {
    const id = learnerIdSchema.safeParse(rawId);
    if (!id.success) throw new HttpError(400, 'Not a learner id');
    const learner = this.store.learners.get(id.data);
    if (!learner || learner.classId !== cls.id || this.store.learners.isRemoved(learner.id))
      throw new HttpError(404, 'No such learner in this class');
    return learner;
  }

  /** The learner's running lab of this class, if any. */
  liveSessionOf(cls: ClassRow, learnerId: string): string | undefined {
    return this.sessions.listOwned(learnerId).find((s) => s.labId === cls.labId && s.status !== 'ended')?.id;
  }

  async resetLearner(cls: ClassRow, learnerId: string): Promise<void> {
    const id = this.liveSessionOf(cls, learnerId);
    if (!id) throw new HttpError(409, 'This learner has no running lab to reset');
    try {
      await this.sessions.reset(id, 'instructor');
    } catch (error) {
      if (error instanceof LabSessionError && error.kind === 'busy') throw new HttpError(409, error.message);
      throw error;
    }
  }

  /** Boots a learner's sleeping lab again (the learner's page resumes with it). */
  async wakeLearner(cls: ClassRow, learnerId: string): Promise<void> {
    const id = this.liveSessionOf(cls, learnerId);
    if (!id) throw new HttpError(409, 'This learner has no lab to wake');
    try {
      await this.sessions.wake(id);
    } catch (error) {
      if (error instanceof LabSessionError && error.kind === 'capacity') throw new HttpError(503, error.message);
      throw error;
    }
  }

  async endLearner(cls: ClassRow, learnerId: string): Promise<void> {
    const id = this.liveSessionOf(cls, learnerId);
    if (!id) throw new HttpError(409, 'This learner has no running lab');
    await this.sessions.end(id, 'instructor');
  }

  /** Sends a message to the running labs of one learner or the whole class; returns how many got it. */
  messageLearners(cls: ClassRow, text: string, learnerId?: string): number {
    const learners = learnerId ? [learnerId] : this.store.learners.listByClass(cls.id).map((l) => l.id);
    const ids = learners.flatMap((id) => this.sessions.listOwned(id).map((s) => s.id));
    return ids.filter((id) => this.sessions.message(id, text)).length;
  }

  /**
   * Refuses a new lab to a learner whose class has ended (their running labs ended with it), so
   * the ended class's dashboard never shows a new one.
   */
  assertMayStartLab(learnerId: string): void {
    const classId = this.store.learners.get(learnerId)?.classId;
    const cls = classId ? this.store.classes.get(classId) : undefined;
    if (cls && cls.endedAt !== null)
      throw new HttpError(
        403,
        `Your class "${cls.name}" has ended, so its lab can no longer be started; ask your instructor if you need more time`,
      );
  }

  /**
   * Starts the learner's lab (or finds the one they have). The roster hears of it at once, not
   * only once the lab is ready, so the class's warming stops counting a lab for them meanwhile.
   */
  startLab(learnerId: string, labId: string): Promise<LabSession> {
    const started = this.sessions.start(learnerId, labId);
    this.changes.notify(learnerId);
    return started;
  }

  /** Removes a learner from the class: their cookie stops working and their labs end. */
  async removeLearner(cls: ClassRow, learnerId: string): Promise<number> {
    this.store.learners.remove(learnerId, Date.now());
    const ids = this.sessions.listOwned(learnerId).map((s) => s.id);
    await Promise.all(ids.map((id) => this.sessions.end(id, 'instructor')));
    this.changes.notify();
    return ids.length;
  }

  /** Ends every learner's lab and closes the join code. */
  async endClass(cls: ClassRow): Promise<number> {
    this.store.classes.end(cls.id, Date.now());
    // Labs warmed for learners still expected are released now, dashboard open or not.
    this.sessions.warmFor(cls.id, cls.labId, 0, 0);
    const ids = this.store.learners.listByClass(cls.id).flatMap((l) => this.sessions.listOwned(l.id).map((s) => s.id));
    await Promise.all(ids.map((id) => this.sessions.end(id, 'instructor')));
    this.changes.notify();
    return ids.length;
  }
}
