/**
 * Where a session's grading choices are kept (not attempts): answers given to step questions,
 * hints revealed, and whether auto-check is on. server/store/GradingChoicesRepo (SQLite) has
 * the same shape and keeps them across restarts; InMemoryGradingChoices serves tests and scripts.
 */
export interface GradingChoices {
  /** On unless the learner turned it off. */
  autoCheck(labSessionId: string): boolean;
  setAutoCheck(labSessionId: string, enabled: boolean): void;
  answers(labSessionId: string, stepId: string): Record<string, string>;
  /** Merges: questions not in `answers` keep their earlier answer. */
  setAnswers(labSessionId: string, stepId: string, answers: Readonly<Record<string, string>>): void;
  hintsRevealed(labSessionId: string, stepId: string): number;
  /** Reveals the next hint (up to `available`); returns how many are now revealed. */
  revealHint(labSessionId: string, stepId: string, available: number): number;
}

const key = (labSessionId: string, stepId: string): string => `${labSessionId}/${stepId}`;

export class InMemoryGradingChoices implements GradingChoices {
  private readonly autoCheckOff = new Set<string>();
  private readonly answersByStep = new Map<string, Record<string, string>>();
  private readonly hintsByStep = new Map<string, number>();

  autoCheck(labSessionId: string): boolean {
    return !this.autoCheckOff.has(labSessionId);
  }

  setAutoCheck(labSessionId: string, enabled: boolean): void {
    if (enabled) this.autoCheckOff.delete(labSessionId);
    else this.autoCheckOff.add(labSessionId);
  }

  answers(labSessionId: string, stepId: string): Record<string, string> {
    return { ...this.answersByStep.get(key(labSessionId, stepId)) };
  }

  setAnswers(labSessionId: string, stepId: string, answers: Readonly<Record<string, string>>): void {
    this.answersByStep.set(key(labSessionId, stepId), { ...this.answers(labSessionId, stepId), ...answers });
  }

  hintsRevealed(labSessionId: string, stepId: string): number {
    return this.hintsByStep.get(key(labSessionId, stepId)) ?? 0;
  }

  revealHint(labSessionId: string, stepId: string, available: number): number {
    const next = Math.min(available, this.hintsRevealed(labSessionId, stepId) + 1);
    this.hintsByStep.set(key(labSessionId, stepId), next);
    return next;
  }

  /** Frees a finished session's choices (the SQLite store keeps them instead). */
  forget(labSessionId: string): void {
    this.autoCheckOff.delete(labSessionId);
    for (const map of [this.answersByStep, this.hintsByStep]) {
      for (const k of map.keys()) if (k.startsWith(`${labSessionId}/`)) map.delete(k);
    }
  }
}
