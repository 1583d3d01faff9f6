import type { GradingChoices } from './GradingChoices';

/** One session's grading choices (answers given, hints revealed, auto-check), read and written through its store. */
export class SessionGradingState {
  constructor(
    private readonly choices: GradingChoices,
    readonly sessionId: string,
  ) {}

  get autoCheck(): boolean {
    return this.choices.autoCheck(this.sessionId);
  }

  set autoCheck(enabled: boolean) {
    this.choices.setAutoCheck(this.sessionId, enabled);
  }

  answers(stepId: string): Readonly<Record<string, string>> {
    return this.choices.answers(this.sessionId, stepId);
  }

  setAnswers(stepId: string, answers: Record<string, string>): void {
    this.choices.setAnswers(this.sessionId, stepId, answers);
  }

  hintsRevealed(stepId: string): number {
    return this.choices.hintsRevealed(this.sessionId, stepId);
  }

  /** Reveals the next hint (up to `available`); returns how many are now revealed. */
  revealHint(stepId: string, available: number): number {
    return this.choices.revealHint(this.sessionId, stepId, available);
  }
}
