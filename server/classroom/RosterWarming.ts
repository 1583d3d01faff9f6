import type { LabSessions } from '../sessions/LabSessions';
import type { ClassRow } from '../store/ClassesRepo';
import type { LearnerLine } from '../../protocol/classViews';

/** A learner who will press Start: no lab, or only an ended one, and steps still to do. */
const needsLab = (line: LearnerLine): boolean =>
  (line.session === null || line.session.status === 'ended') && line.currentStep !== null;

/**
 * When an instructor opens a class's dashboard, labs are warmed for the class's learners who have
 * none yet, so a whole class pressing Start gets ready machines at once. The count follows the
 * roster as learners join and start; labs nobody took by `holdMs` after the dashboard opened are
 * released (reopening it warms again). The host's lab limit bounds them like any other lab.
 */
export class RosterWarming {
  private readonly classes = new Map<string, { until: number; needsLab: Map<string, boolean> }>();

  constructor(
    private readonly sessions: Pick<LabSessions, 'warmFor'>,
    private readonly holdMs: number,
  ) {}

  /** The dashboard of `classId` was opened. */
  opened(classId: string): void {
    if (this.holdMs <= 0) return;
    const known = this.classes.get(classId);
    this.classes.set(classId, {
      until: Date.now() + this.holdMs,
      needsLab: known?.needsLab ?? new Map<string, boolean>(),
    });
  }

  /** Learner lines the dashboard computed: the whole class when `whole`, else those that changed. */
  seen(cls: Pick<ClassRow, 'id' | 'labId' | 'endedAt'>, lines: readonly LearnerLine[], whole: boolean): void {
    const known = this.classes.get(cls.id);
    if (!known) return;
    if (Date.now() >= known.until) {
      this.classes.delete(cls.id);
      return;
    }
    if (whole) known.needsLab.clear();
    for (const line of lines) known.needsLab.set(line.id, needsLab(line));
    let count = 0;
    for (const needs of known.needsLab.values()) if (needs) count++;
    this.sessions.warmFor(cls.id, cls.labId, cls.endedAt ? 0 : count, known.until);
  }
}
