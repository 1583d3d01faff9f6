import type { Topology } from '../../labkit/topology';
import type { LabDeployment, LabRuntime, TerminalStream } from '../../server/runtime/LabRuntime';
import type { PhaseRecorder } from './phases';

/** Resolves once the terminal shows a root prompt. */
export function prompt(stream: TerminalStream): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    const off = stream.onData((chunk) => {
      seen = (seen + chunk.toString('latin1')).slice(-256);
      if (/\]# $/.test(seen)) {
        off();
        resolve();
      }
    });
  });
}

/** Opens every machine's terminal until it shows its prompt, as the lab page does; then closes them. */
export async function everyPrompt(runtime: LabRuntime, deployment: LabDeployment): Promise<void> {
  const terminals = await Promise.all(
    deployment.machines.map(async (m) => {
      const stream = await runtime.openTerminal(deployment, m.id, { cols: 80, rows: 24 });
      await prompt(stream);
      return stream;
    }),
  );
  for (const t of terminals) t.close();
}

/** Labs started two at a time (the server's start queue on two cores) and left running. */
export async function runningLabs(
  runtime: LabRuntime,
  topology: Topology,
  prefix: string,
  count: number,
): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}bg${i}`);
  const queue = [...ids];
  await Promise.all(
    [0, 1].map(async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) await runtime.create(id, topology);
    }),
  );
  return ids;
}

export interface ResetTimes {
  /** Reset asked → every terminal of the fresh machines shows its prompt. */
  reset: number[];
  /** Of which: the old machines removed and the new ones built on the same slot, as two steps. */
  destroy: number[];
  create: number[];
}

/**
 * Resets of one lab, each until every terminal shows its prompt; then, for the breakdown, the same
 * lab removed and created again on its slot as two timed steps (unless `twoSteps` is false).
 */
export async function timeResets(
  runtime: LabRuntime,
  topology: Topology,
  id: string,
  rounds: number,
  phases?: PhaseRecorder,
  { twoSteps = true }: { twoSteps?: boolean } = {},
): Promise<ResetTimes> {
  let deployment = await runtime.create(id, topology);
  const times: ResetTimes = { reset: [], destroy: [], create: [] };
  for (let round = 0; round < rounds; round++) {
    const t0 = performance.now();
    deployment = await runtime.reset(deployment, topology);
    const ready = performance.now() - t0;
    await everyPrompt(runtime, deployment);
    times.reset.push(performance.now() - t0);
    phases?.record('reset', id, t0, ready, { PROMPTS: performance.now() - t0 });
  }
  for (let round = 0; twoSteps && round < rounds; round++) {
    const slot = deployment.slot;
    const t0 = performance.now();
    await runtime.destroy(id);
    const t1 = performance.now();
    deployment = await runtime.create(id, topology, { slot });
    await everyPrompt(runtime, deployment);
    times.destroy.push(t1 - t0);
    times.create.push(performance.now() - t1);
  }
  await runtime.destroy(id);
  return times;
}
