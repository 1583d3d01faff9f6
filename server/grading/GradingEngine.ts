/**
 * Runs checkers for lab sessions and keeps their results.
 *   check(id, stepId)        Check button / API: one step, now
 *   commandFinished(id)      auto-check: the current step, 500 ms after the learner's last command
 *   runAllChecks(id)         every step, in order (npm run grade)
 *   recheckCurrentState(id)  after a reset: the 'current' steps checked before, again
 * Checks of one session run one at a time, so probes never overlap.
 */
import { errorMessage } from '../log/errorMessage';
import type { LabJournal } from '../../labkit/journal';
import type { LabParameters } from '../../labkit/parameters';
import { inconclusive, type CheckResult, type LabModule, type LearnerTerminals } from '../../labkit/types';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import { checkContext } from './contexts';
import type { ParametersOf } from './labParameters';
import { InMemoryGradingChoices, type GradingChoices } from './GradingChoices';
import { currentStepIndex, stepState, type CheckTrigger, type Progress, type StepState } from './progress';
import type { AttemptRecord, ProgressStore } from './ProgressStore';
import { SessionGradingState } from './SessionGradingState';
import type { Log } from '../log/Log';

export interface GradingTarget {
  lab: LabModule;
  deployment: LabDeployment;
  terminals: LearnerTerminals;
  /** What the host recorded of the session, for checkers that grade observations. */
  journal?: LabJournal;
  /** The learner's values of the lab's parameters. */
  parameters: LabParameters;
}

export interface CheckOutcome {
  stepId: string;
  passed: boolean;
  message: string;
  at: number;
  trigger: CheckTrigger;
  /** The step's state after this attempt (latching applied). */
  state: StepState;
  /** Whether the verdict was kept in the learner's progress and history (see applyVerdict). */
  recorded: boolean;
}

export interface GradingEngineOptions {
  runtime: LabRuntime;
  store: ProgressStore;
  /** Answers, hints revealed and auto-check; in memory unless given (the server passes SQLite). */
  choices?: GradingChoices;
  /** The lab session's machines and terminals, or undefined when it is not running. */
  resolve: (sessionId: string) => GradingTarget | undefined;
  log?: Log;
  debounceMs?: number;
  /** Hard limit per check; checkers aim for 5 s. */
  timeoutMs?: number;
  /** Each learner's values of a lab's parameters; none unless given. */
  parameters?: ParametersOf;
}

export class GradingError extends Error {
  constructor(
    readonly kind: 'not-running' | 'unknown-step',
    message: string,
  ) {
    super(message);
  }
}

export class GradingEngine {
  private readonly choices: GradingChoices;
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly listeners = new Set<(sessionId: string, outcome: CheckOutcome) => void>();

  constructor(private readonly options: GradingEngineOptions) {
    this.choices = options.choices ?? new InMemoryGradingChoices();
  }

  /** The session's answers, hints revealed and auto-check setting. */
  session(sessionId: string): SessionGradingState {
    return new SessionGradingState(this.choices, sessionId);
  }

  /**
   * Called for every verdict the learner may see: every one that was recorded, and every Check
   * and grading run. An auto-check failure that was not recorded (a step not started) is not
   * passed on: its "not yet" is for nobody.
   */
  onResult(listener: (sessionId: string, outcome: CheckOutcome) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The learner's progress on the session's lab (earlier sessions of the same lab included). */
  progress(sessionId: string): Progress {
    return this.options.store.forSession(sessionId);
  }

  states(sessionId: string, lab: LabModule): StepState[] {
    const { steps } = this.progress(sessionId);
    return lab.steps.map((step) => stepState(step.latching, steps[step.id]));
  }

  attempts(sessionId: string): AttemptRecord[] {
    return this.options.store.attempts(sessionId);
  }

  currentStep(sessionId: string, lab: LabModule): number {
    return currentStepIndex(this.states(sessionId, lab));
  }

  check(sessionId: string, stepId: string, trigger: CheckTrigger = 'check'): Promise<CheckOutcome> {
    return this.serialized(sessionId, () => this.runCheck(sessionId, stepId, trigger));
  }

  async runAllChecks(sessionId: string): Promise<CheckOutcome[]> {
    const target = this.target(sessionId);
    const out: CheckOutcome[] = [];
    for (const step of target.lab.steps) out.push(await this.check(sessionId, step.id, 'grade'));
    return out;
  }

  /**
   * The lab's machines were replaced (reset): re-checks each 'current' step the learner tried
   * before, so it no longer shows a pass the new machines do not earn. Latched passes stay.
   */
  async recheckCurrentState(sessionId: string): Promise<CheckOutcome[]> {
    const target = this.target(sessionId);
    const checked = new Set(Object.keys(this.progress(sessionId).steps));
    const out: CheckOutcome[] = [];
    for (const step of target.lab.steps) {
      if (step.latching === 'current' && checked.has(step.id)) out.push(await this.check(sessionId, step.id, 'reset'));
    }
    return out;
  }

  /** A learner finished a command in one of the session's terminals. */
  commandFinished(sessionId: string): void {
    if (!this.session(sessionId).autoCheck) return;
    clearTimeout(this.timers.get(sessionId));
    const timer = setTimeout(() => {
      this.timers.delete(sessionId);
      void this.autoCheck(sessionId).catch((error: unknown) =>
        this.options.log?.(`auto-check failed: ${errorMessage(error)}`),
      );
    }, this.options.debounceMs ?? 500);
    timer.unref();
    this.timers.set(sessionId, timer);
  }

  /** One learner's values of the lab's parameters (the text and the checks of their labs use them). */
  parametersOf(learnerId: string, lab: LabModule): LabParameters {
    return this.options.parameters?.(learnerId, lab) ?? {};
  }

  forget(sessionId: string): void {
    clearTimeout(this.timers.get(sessionId));
    this.timers.delete(sessionId);
    if (this.choices instanceof InMemoryGradingChoices) this.choices.forget(sessionId);
  }

  private async autoCheck(sessionId: string): Promise<void> {
    const target = this.options.resolve(sessionId);
    if (!target) return;
    // The first step still open, passing over question steps that wait for their answers: those
    // cannot pass in the background, and a learner who does the work before answering them
    // should still see progress.
    const states = this.states(sessionId, target.lab);
    const awaitsAnswers = (step: (typeof target.lab.steps)[number]): boolean =>
      step.questions?.some((q) => !this.session(sessionId).answers(step.id)[q.id]) ?? false;
    const step = target.lab.steps.find((s, i) => states[i]?.status !== 'passed' && !awaitsAnswers(s));
    if (!step) return;
    await this.check(sessionId, step.id, 'auto');
  }

  private target(sessionId: string): GradingTarget {
    const target = this.options.resolve(sessionId);
    if (!target) throw new GradingError('not-running', 'This lab is not running');
    return target;
  }

  private async runCheck(sessionId: string, stepId: string, trigger: CheckTrigger): Promise<CheckOutcome> {
    const target = this.target(sessionId);
    const step = target.lab.steps.find((s) => s.id === stepId);
    if (!step) throw new GradingError('unknown-step', `No step "${stepId}" in this lab`);
    const ctx = checkContext(this.options.runtime, target.deployment, {
      terminals: target.terminals,
      answers: { ...this.session(sessionId).answers(stepId) },
      parameters: target.parameters,
      journal: target.journal,
    });
    const limit = this.options.timeoutMs ?? 8_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CheckResult>((resolve) => {
      timer = setTimeout(
        () =>
          resolve(inconclusive('The check took too long to finish (the host is busy); please try again in a moment.')),
        limit,
      );
    });
    const result = await Promise.race([
      step.check(ctx).catch((error: unknown) => {
        this.options.log?.(`check ${stepId} failed: ${errorMessage(error)}`);
        return inconclusive(
          'The check could not inspect the machines (are they still running?). Try again in a moment.',
        );
      }),
      timeout,
    ]).finally(() => clearTimeout(timer));
    const at = Date.now();
    const verdict = { stepId, at, passed: result.passed, message: result.message, trigger };
    // A check that could not find out says so, but is no attempt: it is nobody's failure.
    const { progress, kept } = result.inconclusive
      ? { progress: this.options.store.forSession(sessionId), kept: false }
      : this.options.store.record(sessionId, verdict);
    const state = stepState(step.latching, progress.steps[stepId]);
    const outcome: CheckOutcome = { ...verdict, state, recorded: kept };
    if (kept || trigger === 'check' || trigger === 'grade')
      for (const listener of this.listeners) listener(sessionId, outcome);
    return outcome;
  }

  private serialized<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(sessionId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(sessionId, settled);
    void settled.then(() => {
      if (this.queues.get(sessionId) === settled) this.queues.delete(sessionId);
    });
    return next;
  }
}
