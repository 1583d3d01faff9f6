// npm run bench:lab — time to ready and to teardown for a real 3-machine lab, plus a plain
// "3 containers started in parallel" baseline measured in the same run for a ratio; then the
// warm-pool handover and the resume of a sleeping lab, each until every terminal shows a prompt;
// last, resets of a lab with BENCH_RUNNING (30) other labs running.
import Docker from 'dockerode';
import os from 'node:os';
import { loadConfig } from '../server/config';
import { DockerRuntime } from '../server/runtime/docker/DockerRuntime';
import { createNetworkSet, removeNetworkSet } from '../server/runtime/docker/dockerNetworks';
import { poolFor, slotAt } from '../server/runtime/addressPool';
import { chapterTopology } from '../labs/iptables-single-server/topology';
import { WarmPool } from '../server/sessions/WarmPool';
import { median, ms, worst } from './stats';
import { prompt, runningLabs, timeResets } from './lab/resetTimes';
import { PhaseRecorder } from './lab/phases';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const RUNNING = Number(process.env.BENCH_RUNNING ?? 30);
/** The 1-minute load average, printed with every figure: on a shared host it says how much they are worth. */
const load = (): string => (os.loadavg()[0] ?? 0).toFixed(1);
const config = loadConfig({ ...process.env, LAB_INSTANCE: `bench${process.pid}` });
/** Where each start, reset and resume spends its time, from the runtime's own phase reports. */
const phases = new PhaseRecorder();
/** As the server runs it: a free slot's networks kept ready (LAB_SPARE_NETWORKS, default 1). */
const runtime = new DockerRuntime({ ...config.runtime, phases: phases.listener });
/** Every lab creates its own networks: what a cold start costs without that lever. */
const noSpares = DockerRuntime.fromConfig({
  ...loadConfig({ ...process.env, LAB_INSTANCE: `bench${process.pid}x` }).runtime,
  spareNetworks: 0,
});
/** Every machine formats its own disk: what a cold start and a reset cost without spare disks. */
const phasesNoDisks = new PhaseRecorder();
const noSpareDisks = new DockerRuntime({
  ...loadConfig({ ...process.env, LAB_INSTANCE: `bench${process.pid}d` }).runtime,
  spareDisks: 0,
  phases: phasesNoDisks.listener,
});
const docker = new Docker({ socketPath: config.runtime.socketPath });

async function timeLab(round: number, on = runtime): Promise<{ ready: number; teardown: number }> {
  const session = `bench${process.pid}r${round}${on === runtime ? '' : on === noSpares ? 'x' : 'd'}`;
  const t0 = performance.now();
  await on.create(session, chapterTopology);
  const ready = performance.now() - t0;
  if (on === runtime) phases.record('cold', session, t0, ready);
  if (on === noSpareDisks) phasesNoDisks.record('cold', session, t0, ready);
  const t1 = performance.now();
  await on.destroy(session);
  return { ready, teardown: performance.now() - t1 };
}

/**
 * A bare start of the lab's three containers in parallel, without any lab logic: with no network,
 * or with the lab's NICs (each container created on its first network and connected to the rest
 * before the start, on networks made once beforehand). What is left between the second and the
 * lab's ready time is the product's own work (limits, guards, boot wait).
 */
const BARE_SLOT = config.runtime.pool.lastSlot;
const bareNets = await createNetworkSet(docker, {
  namespace: `bench${process.pid}bare`,
  slot: slotAt(poolFor(chapterTopology.networks, config.runtime.pool), BARE_SLOT),
});
if (!bareNets) throw new Error(`slot ${BARE_SLOT} is taken: end the labs on it and run the bench again`);

async function timeBareStart(round: number, withNics: boolean): Promise<number> {
  const t0 = performance.now();
  const containers = await Promise.all(
    chapterTopology.machines.map(async (machine, i) => {
      const [first, ...rest] = withNics ? machine.nics.map((nic) => bareNets?.networks[nic.network]?.name ?? '') : [];
      const container = await docker.createContainer({
        Image: `${config.runtime.imagePrefix}/${machine.image}`,
        name: `bench${process.pid}${withNics ? 'n' : 'b'}${round}-${i}`,
        HostConfig: { NetworkMode: first ?? 'none' },
      });
      for (const name of rest) await docker.getNetwork(name).connect({ Container: container.id });
      return container;
    }),
  );
  await Promise.all(containers.map((c) => c.start()));
  const elapsed = performance.now() - t0;
  await Promise.all(containers.map((c) => c.remove({ force: true })));
  return elapsed;
}

const readies: number[] = [];
const teardowns: number[] = [];
const baselines: number[] = [];
const nicBaselines: number[] = [];
const readiesNoSpares: number[] = [];
const readiesNoDisks: number[] = [];
console.log(`bench:lab — ${ROUNDS} rounds of create → ready → destroy (3 machines, 2 networks)`);
for (let round = 0; round < ROUNDS; round++) {
  const { ready, teardown } = await timeLab(round);
  const baseline = await timeBareStart(round, false);
  const nicBaseline = await timeBareStart(round, true);
  nicBaselines.push(nicBaseline);
  const { ready: readyNoSpares } = await timeLab(round, noSpares);
  const { ready: readyNoDisks } = await timeLab(round, noSpareDisks);
  readiesNoDisks.push(readyNoDisks);
  readies.push(ready);
  teardowns.push(teardown);
  baselines.push(baseline);
  readiesNoSpares.push(readyNoSpares);
  console.log(
    `  round ${round + 1}: ready ${ms(ready)} (no spare networks ${ms(readyNoSpares)}, no spare disks ${ms(readyNoDisks)}), teardown ${ms(teardown)}, bare 3×start ${ms(baseline)} (with NICs ${ms(nicBaseline)}), load ${load()}`,
  );
}
/**
 * What a learner waits for with the product's warm pool (LAB_WARM_POOL, default 1): a lab
 * prepared in the background, idle for a moment as it would be in production, is handed over
 * and every machine's terminal is opened until it shows its prompt.
 */
async function timeWarmHandover(pool: WarmPool): Promise<number> {
  while (pool.readyCount === 0) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1000));
  const t0 = performance.now();
  const deployment = pool.take();
  if (!deployment) throw new Error('warm pool was empty');
  const opened: number[] = [];
  const terminals = await Promise.all(
    deployment.machines.map(async (m) => {
      const stream = await runtime.openTerminal(deployment, m.id, { cols: 80, rows: 24 });
      opened.push(performance.now() - t0);
      await prompt(stream);
      return stream;
    }),
  );
  const elapsed = performance.now() - t0;
  handoverOpens.push(Math.max(...opened));
  for (const t of terminals) t.close();
  await runtime.destroy(deployment.deploymentId);
  return elapsed;
}
/** Of a handover: until every terminal's socket is connected (the rest is the shell starting to its prompt). */
const handoverOpens: number[] = [];

const pool = new WarmPool({
  runtime,
  topology: chapterTopology,
  size: 1,
  log: (m) => console.log(m),
  hasRoom: () => true,
});
pool.fill();
const handovers: number[] = [];
for (let round = 0; round < ROUNDS; round++) handovers.push(await timeWarmHandover(pool));
await pool.drain();

/**
 * What a learner coming back waits for: a sleeping lab (machines stopped, files kept) is woken
 * and every machine's terminal is opened until it shows its prompt.
 */
async function timeResumes(): Promise<number[]> {
  let deployment = await runtime.create(`bench${process.pid}sleep`, chapterTopology);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await runtime.sleep(deployment);
    const t0 = performance.now();
    // Networks back on the same slot, machines reconnected and booted.
    deployment = await runtime.wake(deployment, chapterTopology);
    const woken = performance.now() - t0;
    const terminals = await Promise.all(
      deployment.machines.map(async (m) => {
        const stream = await runtime.openTerminal(deployment, m.id, { cols: 80, rows: 24 });
        await prompt(stream);
        return stream;
      }),
    );
    times.push(performance.now() - t0);
    phases.record('resume', deployment.deploymentId, t0, woken, { PROMPTS: performance.now() - t0 });
    for (const t of terminals) t.close();
  }
  await runtime.destroy(deployment.deploymentId);
  return times;
}
const resumes = await timeResumes();

const background = await runningLabs(runtime, chapterTopology, `bench${process.pid}`, RUNNING);
const resetLoad = load();
const resets = await timeResets(runtime, chapterTopology, `bench${process.pid}reset`, ROUNDS, phases);
const resetsNoDisks = await timeResets(
  noSpareDisks,
  chapterTopology,
  `bench${process.pid}resetd`,
  ROUNDS,
  phasesNoDisks,
  {
    twoSteps: false,
  },
);
const resetNoDisksLoad = load();
await Promise.all(background.map((id) => runtime.destroy(id)));

const endLoad = load();
console.log('');
console.log(`load average (1 min) at the end ${endLoad}; at the resets ${resetLoad}`);
console.log(`time to ready     median ${ms(median(readies))}   worst ${ms(worst(readies))}   (load ${endLoad})`);
console.log(`  phases (median, from the ask): ${phases.summary('cold')}`);
console.log(`time to teardown  median ${ms(median(teardowns))}   worst ${ms(worst(teardowns))}`);
console.log(`bare 3×start      median ${ms(median(baselines))}   (network none, no readiness wait)`);
console.log(
  `warm-pool handover median ${ms(median(handovers))}   worst ${ms(worst(handovers))}   (a warm lab taken: every terminal opened to its prompt; goal ≤ 50 ms; load ${endLoad})`,
);
console.log(
  `  of which every terminal's socket connected: median ${ms(median(handoverOpens))}; the rest is bash starting to its prompt`,
);
console.log(
  `resume from sleep median ${ms(median(resumes))}   worst ${ms(worst(resumes))}   (machines booted again: every terminal opened to its prompt; ${(median(resumes) / median(readies)).toFixed(2)}× a cold start, goal ≤ 1×; load ${endLoad})`,
);
console.log(`  phases (median, from the ask): ${phases.summary('resume')}`);
console.log(`ratio ready / bare start: ${(median(readies) / median(baselines)).toFixed(2)}×   (load ${endLoad})`);
console.log(
  `  bare 3×start with the lab's 4 NICs: median ${ms(median(nicBaselines))}; ready / that ${(median(readies) / median(nicBaselines)).toFixed(2)}×   (goal ≤ 1.2×; what NICs cost Docker, and what is the product's own; load ${endLoad})`,
);
console.log(
  `  without spare networks: ready median ${ms(median(readiesNoSpares))}, ratio ${(median(readiesNoSpares) / median(baselines)).toFixed(2)}×   (LAB_SPARE_NETWORKS=0)`,
);
console.log(
  `  without spare disks: ready median ${ms(median(readiesNoDisks))}, ratio to the bare start with NICs ${(median(readiesNoDisks) / median(nicBaselines)).toFixed(2)}×   (LAB_SPARE_DISKS=0, same rounds)`,
);
console.log(`    its phases: ${phasesNoDisks.summary('cold')}`);
console.log(
  `reset to prompts   median ${ms(median(resets.reset))}   worst ${ms(worst(resets.reset))}   (${RUNNING} other labs running, load ${resetLoad}; goal median ≤ 2000 ms)`,
);
console.log(`  phases (median, from the ask): ${phases.summary('reset')}`);
console.log(
  `  without spare disks, right after: median ${ms(median(resetsNoDisks.reset))}   worst ${ms(worst(resetsNoDisks.reset))}   (LAB_SPARE_DISKS=0, same ${RUNNING} labs running, load ${resetNoDisksLoad})`,
);
console.log(`    its phases: ${phasesNoDisks.summary('reset')}`);
console.log(
  `  as two steps: old machines removed ${ms(median(resets.destroy))}, new ones on the same slot to prompts ${ms(median(resets.create))}   (load ${resetLoad})`,
);
await runtime.removeOrphans(new Set());
await removeNetworkSet(docker, Object.values(bareNets.networks));
await Promise.all([runtime.close(), noSpares.close(), noSpareDisks.close()]);
