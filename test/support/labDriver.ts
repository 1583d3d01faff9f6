import { singleServerLab } from '../../labs/iptables-single-server';
import { GradingEngine } from '../../server/grading/GradingEngine';
import { InMemoryProgressStore } from '../../server/grading/ProgressStore';
import { startLabDriver, type LabDriver } from '../../server/grading/selfTest';
import type { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { newSessionId, sh as shell, testRuntime } from './labRuntime';
import type { Journal } from '../../server/journal/Journal';
import { standaloneJournal } from '../../server/journal/standaloneJournal';

/** Within a test's own time limit (vitest.config.ts), whatever the host's load. */
const CHECK_LIMIT_MS = 60_000;

/** Runs a script inside one of the lab's machines (setup and solves, never evidence): its stdout, then its stderr. */
export type MachineShell = (machine: string, script: string) => Promise<string>;

/**
 * A fresh real "single server" lab with recording terminals, plus a grading engine over it and
 * a shell into its machines.
 */
export async function singleServerDriver(
  name: string,
  options: { journal?: boolean } = {},
): Promise<{
  driver: LabDriver;
  engine: GradingEngine;
  id: string;
  runtime: DockerRuntime;
  journal?: Journal;
  sh: MachineShell;
}> {
  const { runtime, namespace } = testRuntime(name);
  const id = newSessionId();
  const kept = options.journal ? await standaloneJournal(runtime, singleServerLab, namespace) : undefined;
  const journal = kept?.journal;
  const started = await startLabDriver(runtime, { lab: singleServerLab, sessionId: id, journal });
  const driver: LabDriver = {
    ...started,
    async close() {
      await started.close();
      await kept?.close();
    },
  };
  const engine = new GradingEngine({
    runtime,
    // The verdicts are under test here, not the check's time limit (a unit test has that): a
    // check that runs long on a loaded host must still reach its verdict, not "try again".
    timeoutMs: CHECK_LIMIT_MS,
    store: new InMemoryProgressStore(),
    resolve: () => ({
      lab: singleServerLab,
      deployment: driver.deployment,
      terminals: driver.terminals,
      parameters: driver.parameters,
      journal: journal?.readerFor(id, driver.deployment),
    }),
    onCheckRan: (sessionId, check) => journal?.recordCheck(sessionId, check),
  });
  const sh: MachineShell = async (machine, script) => {
    const r = await shell(runtime, driver.deployment, machine, script, 90_000);
    return r.stdout + r.stderr;
  };
  return { driver, engine, id, runtime, journal, sh };
}

/** Checks a step through the engine, with the answers its solve (or the test) gave. */
export async function engineCheck(engine: GradingEngine, driver: LabDriver, id: string, stepId: string) {
  engine.session(id).setAnswers(stepId, driver.answers.get(stepId) ?? {});
  return engine.check(id, stepId);
}
