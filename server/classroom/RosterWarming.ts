import type { LabSessions } from '../sessions/LabSessions';
import type { ClassRow } from '../store/ClassesRepo';
import type { LearnerLine } from '../../protocol/classViews';
import type { ChangedLearners, ClassroomChanges } from './ClassroomChanges';

/** A learner who will press Start, as the store shows them: no lab, or only an ended one, and steps still to do. */
const needsLab = (line: LearnerLine): boolean =>
  (line.session === null || line.session.status === 'ended') && line.currentStep !== null;

/** Where warming asks for labs, and sees a learner's lab under way before the store records it. */
export type WarmedSessions = Pick<LabSessions, 'warmFor' | 'listOwned'>;

type WarmedClass = Pick<ClassRow, 'id' | 'labId' | 'endedAt' | 'expectedSize'>;

/** Where warming reads a class's roster when no dashboard computes it: the class and its learners' lines. */
export interface RosterSource {
  changes: ClassroomChanges;
  cls(classId: string): ClassRow | undefined;
  /** The lines of these learners (those of them in the class), or of the whole class. */
  lines(cls: ClassRow, learnerIds: ReadonlySet<string> | 'all'): LearnerLine[];
}

/**
 * From the moment a class is created, and while an instructor has its dashboard open, labs are
 * warmed for the learners who will press Start: those of the roster without a lab yet, and those
 * the class still expects (its expected size minus the roster), so a whole class joining at once
 * gets ready machines. The count follows the roster as learners join and start (dashboard open or
 * not), never exceeds `maxLabs` (the host's lab limit bounds them like any other lab too), and
 * drops to none for an ended class. Labs nobody took are released `holdMs` after the class was
 * created or a dashboard of it was last open (reopening it warms again).
 */
export class RosterWarming {
  private readonly classes = new Map<string, { until: number; needsLab: Map<string, boolean> }>();

  constructor(
    private readonly sessions: WarmedSessions,
    private readonly holdMs: number,
    private readonly maxLabs = Number.POSITIVE_INFINITY,
    private readonly roster?: RosterSource,
  ) {
    roster?.changes.on((changed) => this.rosterChanged(changed));
  }

  /** A new class: its expected learners are warmed at once, before any dashboard opens. */
  created(cls: WarmedClass): void {
    this.opened(cls.id);
    this.seen(cls, [], true);
  }

  /** The dashboard of `classId` was opened. */
  opened(classId: string): void {
    if (this.holdMs <= 0) return;
    const known = this.classes.get(classId);
    this.classes.set(classId, {
      until: Date.now() + this.holdMs,
      needsLab: known?.needsLab ?? new Map<string, boolean>(),
    });
  }

  /**
   * Learner lines an open dashboard computed: the whole class when `whole`, else those that
   * changed. The dashboard being open keeps the warm labs held.
   */
  seen(cls: WarmedClass, lines: readonly LearnerLine[], whole: boolean): void {
    const known = this.classes.get(cls.id);
    if (!known) return;
    if (Date.now() >= known.until) {
      this.classes.delete(cls.id);
      return;
    }
    known.until = Date.now() + this.holdMs;
    this.apply(cls, lines, whole);
  }

  /** Learners joined, started or finished: the classes still held follow, dashboard open or not. */
  private rosterChanged(changed: ChangedLearners): void {
    if (!this.roster) return;
    for (const [classId, known] of this.classes) {
      if (Date.now() >= known.until) {
        this.classes.delete(classId);
        continue;
      }
      const cls = this.roster.cls(classId);
      if (!cls) continue;
      const lines = this.roster.lines(cls, changed ?? 'all');
      if (changed === null || lines.length > 0) this.apply(cls, lines, changed === null);
    }
  }

  private apply(cls: WarmedClass, lines: readonly LearnerLine[], whole: boolean): void {
    const known = this.classes.get(cls.id);
    if (!known) return;
    if (whole) known.needsLab.clear();
    // A lab still starting is in no line yet (the store records it once started): one made for
    // its learner meanwhile would be a second lab for them.
    for (const line of lines) known.needsLab.set(line.id, needsLab(line) && !this.hasLab(line.id, cls.labId));
    let count = Math.max(0, (cls.expectedSize ?? 0) - known.needsLab.size);
    for (const needs of known.needsLab.values()) if (needs) count++;
    this.sessions.warmFor(cls.id, cls.labId, cls.endedAt ? 0 : Math.min(count, this.maxLabs), known.until);
  }

  private hasLab(learnerId: string, labId: string): boolean {
    return this.sessions.listOwned(learnerId).some((session) => session.labId === labId);
  }
}
