/**
 * npm run lab:test -- <lab-id> [--learner <id>]
 * Solve→check self-test of one lab on a fresh real lab: for each step in order, the checker must
 * fail before the solve and pass after it. Prints each step's result; exits 1 on any surprise.
 * An unknown verdict (a probe got no answer in time on a busy host) is checked again, a few times,
 * as the learner is told to; the checkers are never relaxed for it.
 * A lab with per-learner parameters runs with those of a made-up learner ("lab-test" unless named).
 */
import { drawParameters, learnerSeed } from '../labkit/parameters';
import { catalog } from '../labs';
import { loadConfig } from '../server/config';
import { startLabDriver, type LabDriver } from '../server/grading/selfTest';
import { DockerRuntime } from '../server/runtime/docker/DockerRuntime';
import { errorDetail } from '../server/log/errorMessage';
import { standaloneJournal } from '../server/journal/standaloneJournal';

/** Presses Check again on an unknown verdict ("press Check again in a few seconds"), as a learner would. */
const CHECK_TRIES = 4;
const AGAIN_AFTER_MS = 3_000;

async function checkLikeALearner(driver: LabDriver, stepId: string): ReturnType<LabDriver['check']> {
  let verdict = await driver.check(stepId);
  for (let tried = 1; verdict.inconclusive && tried < CHECK_TRIES; tried++) {
    console.log(`     unknown, checking again in ${AGAIN_AFTER_MS / 1000} s — ${verdict.message}`);
    await new Promise((resolve) => setTimeout(resolve, AGAIN_AFTER_MS));
    verdict = await driver.check(stepId);
  }
  return verdict;
}

async function main(): Promise<number> {
  const labId = process.argv[2];
  const lab = labId ? catalog.get(labId) : undefined;
  if (!lab) {
    console.error(
      `usage: npm run lab:test -- <lab-id>\nlabs: ${catalog
        .list()
        .map((l) => l.id)
        .join(', ')}`,
    );
    return 2;
  }
  const config = loadConfig({ ...process.env, LAB_INSTANCE: process.env.LAB_INSTANCE ?? `labtest${process.pid}` });
  // One lab and gone: no free slot's networks kept ready for a next one.
  const runtime = DockerRuntime.fromConfig({ ...config.runtime, spareNetworks: 0 });
  const started = Date.now();
  console.log(`${lab.title}: starting a fresh lab…`);
  const named = process.argv.indexOf('--learner');
  const learner = (named > 0 ? process.argv[named + 1] : undefined) ?? 'lab-test';
  const parameters = lab.parameters ? drawParameters(lab.parameters, learnerSeed('lab-test', learner, lab.id)) : {};
  if (lab.parameters) console.log(`parameters of learner "${learner}": ${JSON.stringify(parameters)}`);
  // Steps judged from the journal need one, as the server keeps for every lab session.
  const kept = await standaloneJournal(runtime, lab, config.runtime.namespace, {
    log: (m) => console.log(`     ${m}`),
  });
  const driver = await startLabDriver(runtime, {
    lab,
    sessionId: `labtest${process.pid}${Date.now().toString(36)}`,
    parameters,
    journal: kept.journal,
  });
  let failures = 0;
  const stop = (): void => void driver.close().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  try {
    for (const [i, step] of lab.steps.entries()) {
      const before = await checkLikeALearner(driver, step.id);
      await driver.solve(step.id);
      const after = await checkLikeALearner(driver, step.id);
      const ok = !before.passed && after.passed;
      if (!ok) failures += 1;
      console.log(`${ok ? 'PASS' : 'FAIL'} ${String(i + 1).padStart(2)} ${step.id} (${step.latching})`);
      console.log(
        `     before solve: ${before.passed ? 'passed (should fail)' : 'failed'} in ${before.ms} ms — ${before.message}`,
      );
      console.log(`     after solve:  ${after.passed ? 'passed' : 'FAILED'} in ${after.ms} ms — ${after.message}`);
    }
  } finally {
    await driver.close();
    await kept.close();
  }
  console.log(
    `${lab.steps.length - failures}/${lab.steps.length} steps ok in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(errorDetail(error));
    process.exit(1);
  },
);
