import { singleServerLab } from '../../labs/iptables-single-server';
import { GradingEngine } from '../../server/grading/GradingEngine';
import { InMemoryProgressStore } from '../../server/grading/ProgressStore';
import { startLabDriver, type LabDriver } from '../../server/grading/selfTest';
import type { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { newSessionId, testRuntime } from './labRuntime';

/** A fresh real "single server" lab with recording terminals, plus a grading engine over it. */
export async function singleServerDriver(
  name: string,
): Promise<{ driver: LabDriver; engine: GradingEngine; id: string; runtime: DockerRuntime }> {
  const { runtime } = testRuntime(name);
  const id = newSessionId();
  const driver = await startLabDriver(runtime, singleServerLab, id);
  const engine = new GradingEngine({
    runtime,
    store: new InMemoryProgressStore(),
    resolve: () => ({
      lab: singleServerLab,
      instance: driver.instance,
      terminals: driver.terminals,
      parameters: driver.parameters,
    }),
  });
  return { driver, engine, id, runtime };
}

/** Checks a step through the engine, with the answers its solve (or the test) gave. */
export async function engineCheck(engine: GradingEngine, driver: LabDriver, id: string, stepId: string) {
  engine.session(id).setAnswers(stepId, driver.answers.get(stepId) ?? {});
  return engine.check(id, stepId);
}
