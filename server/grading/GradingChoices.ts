/**
 * Where a session's grading choices are kept (not attempts): answers given to step questions,
 * hints revealed, and whether auto-check is on. server/store/GradingChoicesRepo (SQLite) has
 * the same shape and keeps them across restarts; InMemoryGradingChoices serves tests and scripts.
 */
export interface GradingChoices {
  /** On unless the learner turned it off. */
  autoCheck(sessionId: string): boolean;
  setAutoCheck(sessionId: string, enabled: boolean): void;
  answers(sessionId: string, stepId: string): Record<string, string>;
  /** Merges: questions not in `answers` keep their earlier answer. */
  setAnswers(sessionId: string, stepId: string, answers: Readonly<Record<string, string>>): void;
  hintsRevealed(sessionId: string, stepId: string): number;
  /** Reveals the next hint (up to `available`); returns how many are now revealed. */
  revealHint(sessionId: string, stepId: string, available: number): number;
}

const key = (sessionId: string, stepId: string): string => `${sessionId}/${stepId}`;

export class InMemoryGradingChoices implements GradingChoices {
  private readonly autoCheckOff = new Set<string>();
  private readonly answersByStep = new Map<string, Record<string, string>>();
  private readonly hintsByStep = new Map<string, number>();

  autoCheck(sessionId: string): boolean {
    return !this.autoCheckOff.has(sessionId);
  }

  setAutoCheck(sessionId: string, enabled: boolean): void {
    if (enabled) this.autoCheckOff.delete(sessionId);
    else this.autoCheckOff.add(sessionId);
  }

  answers(sessionId: string, stepId: string): Record<string, string> {
    return { ...this.answersByStep.get(key(sessionId, stepId)) };
  }

  setAnswers(sessionId: string, stepId: string, answers: Readonly<Record<string, string>>): void {
    this.answersByStep.set(key(sessionId, stepId), { ...this.answers(sessionId, stepId), ...answers });
  }

  hintsRevealed(sessionId: string, stepId: string): number {
    return this.hintsByStep.get(key(sessionId, stepId)) ?? 0;
  }

  revealHint(sessionId: string, stepId: string, available: number): number {
    const next = Math.min(available, this.hintsRevealed(sessionId, stepId) + 1);
    this.hintsByStep.set(key(sessionId, stepId), next);
    return next;
  }

  /** Frees a finished session's choices (the SQLite store keeps them instead). */
  forget(sessionId: string): void {
    this.autoCheckOff.delete(sessionId);
    for (const map of [this.answersByStep, this.hintsByStep]) {
      for (const k of map.keys()) if (k.startsWith(`${sessionId}/`)) map.delete(k);
    }
  }
}
