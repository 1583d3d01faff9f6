/**
 * A lab author's self-test: on a fresh real lab, each step's checker must fail first, then pass
 * after its solve. Shared by `npm run lab:test` and the lab integration tests.
 */
import type { LabParameters } from '../../labkit/parameters';
import type { CheckResult, LabModule } from '../../labkit/types';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import { checkContext, solveContext } from './contexts';
import { RecordingTerminals } from './RecordingTerminals';
import type { Journal } from '../journal/Journal';

export interface LabDriver {
  lab: LabModule;
  deployment: LabDeployment;
  /** The values of the lab's parameters this run uses (one made-up learner's). */
  parameters: LabParameters;
  terminals: RecordingTerminals;
  /** Answers per step id, as the page would have sent them. */
  answers: Map<string, Record<string, string>>;
  /** Runs a step's checker (with the journal's reader when the driver has a journal). */
  check(stepId: string): Promise<CheckResult & { ms: number }>;
  /** The session's journal, when the driver keeps one. */
  journal?: Journal;
  solve(stepId: string): Promise<void>;
  close(): Promise<void>;
}

/** Creates a fresh lab, runs the lab's setup, and opens recording terminals on it. */
export async function startLabDriver(
  runtime: LabRuntime,
  {
    lab,
    sessionId,
    parameters = {},
    journal,
  }: {
    lab: LabModule;
    sessionId: string;
    /** The values of the lab's parameters (one made-up learner's); none by default. */
    parameters?: LabParameters;
    /** A journal to keep for the lab session, as the server does. */
    journal?: Journal;
  },
): Promise<LabDriver> {
  const deployment = await runtime.create(sessionId, lab.topology);
  const terminals = new RecordingTerminals(runtime, deployment);
  const reader = () => journal?.readerFor(sessionId, deployment);
  if (journal) {
    await journal.track(sessionId, deployment);
    terminals.onCommandFinished((event) => journal.commandFinished(sessionId, event));
    terminals.onInput((machineId, bytes) => journal.consoleInput(sessionId, machineId, bytes));
  }
  const answers = new Map<string, Record<string, string>>();
  const step = (id: string) => {
    const found = lab.steps.find((s) => s.id === id);
    if (!found) throw new Error(`no step ${id} in ${lab.id}`);
    return found;
  };
  try {
    await lab.setup?.(checkContext(runtime, deployment, { terminals, parameters }));
    await Promise.all(lab.topology.machines.map((m) => terminals.open(m.id)));
  } catch (error) {
    terminals.close();
    await runtime.destroy(sessionId);
    throw error;
  }
  return {
    lab,
    deployment: deployment,
    parameters,
    terminals,
    answers,
    journal,
    async check(id) {
      const started = Date.now();
      const result = await step(id).check(
        checkContext(runtime, deployment, {
          terminals,
          answers: { ...(answers.get(id) ?? {}) },
          parameters,
          journal: reader(),
        }),
      );
      journal?.recordCheck(sessionId, { stepId: id, ...result, startedAt: started, at: Date.now(), shown: true });
      return { ...result, ms: Date.now() - started };
    },
    async solve(id) {
      const stepAnswers = answers.get(id) ?? {};
      answers.set(id, stepAnswers);
      await step(id).solve(
        solveContext(
          checkContext(runtime, deployment, { terminals, answers: stepAnswers, parameters, journal: reader() }),
          stepAnswers,
        ),
      );
    },
    async close() {
      terminals.close();
      await journal?.ended(sessionId);
      await runtime.destroy(sessionId);
    },
  };
}
