/**
 * The real server, wired as server/main.ts wires it, plus a simulated class for the dashboard
 * benchmark: BENCH_LEARNERS learners with BENCH_ATTEMPTS check attempts each are written to its
 * database before it starts, and once it serves, one of them records a check through the
 * grading engine's own progress store every BENCH_ATTEMPT_EVERY_MS (a check per learner every ~10 s).
 * Prints "serving on <url>" and "class <id> <apiToken>" for the benchmark to read, then every
 * second "busy <ms>": how long its event loop was busy in that second (all of it, checks included).
 */
import { performance } from 'node:perf_hooks';
import { catalog as labCatalog } from '../../labs';
import type { ProgressStore } from '../../server/grading/ProgressStore';
import { loadConfig } from '../../server/config';
import { gradingFactory } from '../../server/grading/gradingFactory';
import { startServer } from '../../server/app/startServer';
import { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { Store } from '../../server/store/Store';
import { seedClass } from './seedClass';
import { errorMessage } from '../../server/log/errorMessage';

const LEARNERS = Number(process.env.BENCH_LEARNERS ?? 200);
const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 150);
const EVERY_MS = Number(process.env.BENCH_ATTEMPT_EVERY_MS ?? 50);
const LAB_ID = 'iptables-single-server';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = (message: string): void => console.log(`[iptables-lab] ${message}`);
  const lab = labCatalog.get(LAB_ID);
  if (!lab) throw new Error(`no lab ${LAB_ID}`);
  const steps = lab.steps.map(({ id, title }) => ({ id, title }));

  const store = Store.open(config.data.dbPath);
  const seeded = seedClass(store, { learners: LEARNERS, attemptsEach: ATTEMPTS, labId: LAB_ID, steps });
  store.close();

  const runtime = DockerRuntime.fromConfig(config.runtime, log);
  let attempts: ProgressStore | undefined;
  const grading = gradingFactory(runtime, log);
  const running = await startServer({
    config,
    runtime,
    log,
    catalog: labCatalog,
    grading: (deps) => {
      attempts = deps.store;
      return grading(deps);
    },
  });
  // The class first: the benchmark reads it as soon as it sees "serving on".
  console.log(`class ${seeded.cls.id} ${seeded.apiToken}`);
  log(`serving on ${running.url}`);

  let n = 0;
  const simulate = setInterval(() => {
    const learner = seeded.learners[n % seeded.learners.length];
    const step = steps[Math.floor(Math.random() * steps.length)];
    n += 1;
    if (learner && step)
      attempts?.record(learner.sessionId, {
        stepId: step.id,
        at: Date.now(),
        passed: Math.random() < 0.1,
        message: 'simulated check',
        trigger: 'check',
      });
  }, EVERY_MS);

  let last = performance.eventLoopUtilization();
  const busy = setInterval(() => {
    const now = performance.eventLoopUtilization();
    console.log(`busy ${performance.eventLoopUtilization(now, last).active.toFixed(1)}`);
    last = now;
  }, 1000);

  const stop = (): void => {
    clearInterval(simulate);
    clearInterval(busy);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    void running.close({ keepLabs: false }).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`simulated class server could not start: ${errorMessage(error)}`);
  process.exit(1);
});
