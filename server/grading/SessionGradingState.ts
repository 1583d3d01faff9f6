/** Per-session grading choices that are not attempts: answers given, hints revealed, auto-check. */
export class SessionGradingState {
  autoCheck = true;
  private readonly answersByStep = new Map<string, Record<string, string>>();
  private readonly hintsByStep = new Map<string, number>();

  answers(stepId: string): Readonly<Record<string, string>> {
    return this.answersByStep.get(stepId) ?? {};
  }

  setAnswers(stepId: string, answers: Record<string, string>): void {
    this.answersByStep.set(stepId, { ...this.answers(stepId), ...answers });
  }

  hintsRevealed(stepId: string): number {
    return this.hintsByStep.get(stepId) ?? 0;
  }

  /** Reveals the next hint (up to `available`); returns how many are now revealed. */
  revealHint(stepId: string, available: number): number {
    const next = Math.min(available, this.hintsRevealed(stepId) + 1);
    this.hintsByStep.set(stepId, next);
    return next;
  }
}
