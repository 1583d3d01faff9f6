/**
 * Runs checkers for lab sessions and keeps their results.
 *   check(id, stepId)        Check button / API: one step, now
 *   commandFinished(id)      auto-check: the current step, as soon as the learner's command finished
 *   runAllChecks(id)         every step, in order (npm run grade)
 *   recheckCurrentState(id)  after a reset: the 'current' steps checked before, again
 * Checks of one session run one at a time, so probes never overlap; host-wide a CheckQueue bounds
 * how many run at once, taking learners in turn. When auto-checks are asked for: AutoChecks.
 */
import type { LabJournal } from '../../labkit/journal';
import type { LabParameters } from '../../labkit/parameters';
import type { LabModule, LearnerTerminals } from '../../labkit/types';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import { checkContext } from './contexts';
import type { ParametersOf } from './labParameters';
import { InMemoryGradingChoices, type GradingChoices } from './GradingChoices';
import { currentStepIndex, stepState, type CheckTrigger, type Progress, type StepState } from './progress';
import { AutoChecks, autoCheckStep } from './AutoChecks';
import { recordOutcome, type CheckOutcome, type CheckRan } from './checkOutcome';
import type { AttemptRecord, ProgressStore } from './ProgressStore';
import { SessionGradingState } from './SessionGradingState';
import { runChecker } from './runChecker';
import { PerSession } from './PerSession';
import { CheckQueue } from './CheckQueue';
import { PHASES_PREFIX, PhaseClock, type CheckPhases } from './checkPhases';
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

export interface GradingEngineOptions {
  runtime: LabRuntime;
  store: ProgressStore;
  /** Answers, hints revealed and auto-check; in memory unless given (the server passes SQLite). */
  choices?: GradingChoices;
  /** Whose lab session it is: the host's checks take learners in turn (by session when unknown). */
  learnerOf?: (sessionId: string) => string | undefined;
  /** The lab session's machines and terminals, or undefined when it is not running. */
  resolve: (sessionId: string) => GradingTarget | undefined;
  log?: Log;
  /**
   * Wait after a finished command before its auto-check is asked for (0: none). The command's
   * end is already an event (the shell's mark before its next prompt), files and rulesets are
   * read from the host when the check runs, and the journal waits for its packet tap itself.
   */
  settleMs?: number;
  /** Checks running at once on this host, learners taken in turn (0: no limit). */
  concurrency?: number;
  /** Hard limit per check, counted from when it starts (not while it waits); checkers aim for 5 s. */
  timeoutMs?: number;
  /** Where each check's time went (also logged at debug level). */
  onPhases?: (phases: CheckPhases) => void;
  /** Each learner's values of a lab's parameters; none unless given. */
  parameters?: ParametersOf;
  /** Every check run, shown or not, once its checker has finished: the span its probes crossed the bridges in. */
  onCheckRan?: (sessionId: string, check: CheckRan) => void;
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
  private readonly perSession = new PerSession();
  private readonly autoChecks: AutoChecks;
  private readonly hostQueue: CheckQueue;
  private readonly listeners = new Set<(sessionId: string, outcome: CheckOutcome) => void>();

  constructor(private readonly options: GradingEngineOptions) {
    this.choices = options.choices ?? new InMemoryGradingChoices();
    this.hostQueue = new CheckQueue(options.concurrency ?? 0);
    this.autoChecks = new AutoChecks({
      enabled: (sessionId) => this.session(sessionId).autoCheck,
      run: (sessionId, finishedAt, started) => this.autoCheck(sessionId, finishedAt, started),
      settleMs: options.settleMs ?? 0,
      log: options.log,
    });
  }

  /** Checks running and waiting host-wide. */
  load(): { running: number; waiting: number } {
    return { running: this.hostQueue.runningCount, waiting: this.hostQueue.waitingCount };
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
    const clock = new PhaseClock(Date.now(), this.hostQueue.waitingCount);
    return this.perSession.run(sessionId, () =>
      this.inTurn(sessionId, () => this.runCheck(sessionId, stepId, trigger, clock)),
    );
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

  /** A learner finished a command in one of the session's terminals (at `finishedAt`, epoch ms). */
  commandFinished(sessionId: string, finishedAt = Date.now()): void {
    this.autoChecks.commandFinished(sessionId, finishedAt);
  }

  /** One learner's values of the lab's parameters (the text and the checks of their labs use them). */
  parametersOf(learnerId: string, lab: LabModule): LabParameters {
    return this.options.parameters?.(learnerId, lab) ?? {};
  }

  forget(sessionId: string): void {
    this.autoChecks.forget(sessionId);
    if (this.choices instanceof InMemoryGradingChoices) this.choices.forget(sessionId);
  }

  private async autoCheck(sessionId: string, finishedAt: number, started: () => void): Promise<void> {
    const clock = new PhaseClock(finishedAt, this.hostQueue.waitingCount);
    await this.perSession.run(sessionId, () =>
      this.inTurn(sessionId, async () => {
        started();
        const target = this.options.resolve(sessionId);
        if (!target) return;
        // Chosen now, after the checks before it.
        const states = this.states(sessionId, target.lab);
        const step = autoCheckStep(target.lab, states, (stepId) => this.session(sessionId).answers(stepId));
        if (step) await this.runCheck(sessionId, step.id, 'auto', clock);
      }),
    );
  }

  /** Runs when the session's learner has their turn among the host's checks. */
  private inTurn<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const learnerKey = this.options.learnerOf?.(sessionId) ?? sessionId;
    return this.hostQueue.run(learnerKey, work);
  }

  private target(sessionId: string): GradingTarget {
    const target = this.options.resolve(sessionId);
    if (!target) throw new GradingError('not-running', 'This lab is not running');
    return target;
  }

  private async runCheck(
    sessionId: string,
    stepId: string,
    trigger: CheckTrigger,
    clock: PhaseClock,
  ): Promise<CheckOutcome> {
    clock.mark();
    const startedAt = Date.now();
    const target = this.target(sessionId);
    const step = target.lab.steps.find((s) => s.id === stepId);
    if (!step) throw new GradingError('unknown-step', `No step "${stepId}" in this lab`);
    const ctx = checkContext(this.options.runtime, target.deployment, {
      terminals: target.terminals,
      answers: { ...this.session(sessionId).answers(stepId) },
      parameters: target.parameters,
      journal: target.journal,
    });
    let checkerDone = (): void => undefined;
    const checkerEnded = new Promise<number>((resolve) => (checkerDone = () => resolve(Date.now())));
    const result = await runChecker(step, ctx, this.options.timeoutMs ?? 8_000, this.options.log, checkerDone);
    clock.mark();
    const outcome = recordOutcome(this.options.store, sessionId, step, result, trigger, startedAt);
    clock.mark();
    const shown = outcome.recorded || trigger === 'check' || trigger === 'grade';
    if (shown) for (const listener of this.listeners) listener(sessionId, outcome);
    const { passed, message } = outcome;
    void checkerEnded.then((endedAt) =>
      this.options.onCheckRan?.(sessionId, {
        stepId,
        passed,
        message,
        startedAt,
        at: Math.max(endedAt, outcome.at),
        shown,
      }),
    );
    clock.mark();
    this.reportPhases(clock.phases(sessionId, stepId, trigger));
    return outcome;
  }

  private reportPhases(phases: CheckPhases): void {
    this.options.onPhases?.(phases);
    this.options.log?.(`${PHASES_PREFIX}${JSON.stringify(phases)}`, 'debug');
  }
}
