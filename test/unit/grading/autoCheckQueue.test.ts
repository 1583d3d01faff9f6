import { describe, expect, it } from 'vitest';
import { GradingEngine } from '../../../server/grading/GradingEngine';
import type { CheckRan } from '../../../server/grading/checkOutcome';
import { InMemoryProgressStore } from '../../../server/grading/ProgressStore';
import type { CheckPhases } from '../../../server/grading/checkPhases';
import { fail, pass, type CheckResult, type LabModule } from '../../../labkit/types';
import type { LabDeployment } from '../../../labkit/deployment';
import { MemoryLabRuntime } from '../../support/MemoryLabRuntime';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A one-step lab whose checker the test drives: it reads `done` as it starts, then takes `checkMs`. */
function fixture(
  options: {
    concurrency?: number;
    timeoutMs?: number;
    checkMs?: (id: string) => number;
    onCheckRan?: (sessionId: string, check: CheckRan) => void;
  } = {},
) {
  const state = { done: false, checks: [] as string[] };
  const deployment: LabDeployment = { deploymentId: 'd', slot: 1, networks: [], machines: [], createdAt: 0 };
  const lab: LabModule = {
    id: 'queue-lab',
    title: 'Queue',
    summary: '',
    topology: { networks: [], machines: [] },
    intro: () => '',
    firewalls: [],
    steps: [
      {
        id: 'work',
        title: 'Work',
        instructions: () => '',
        hints: () => [],
        latching: 'latch',
        async check(ctx): Promise<CheckResult> {
          const id = ctx.deployment.deploymentId;
          state.checks.push(id);
          // What the machines showed when the check read them.
          const done = state.done;
          await sleep(options.checkMs?.(id) ?? 20);
          return done ? pass('done') : fail('not yet');
        },
        async solve() {},
      },
    ],
  };
  const phases: CheckPhases[] = [];
  const engine = new GradingEngine({
    runtime: new MemoryLabRuntime(),
    store: new InMemoryProgressStore(),
    concurrency: options.concurrency,
    timeoutMs: options.timeoutMs,
    onPhases: (p) => phases.push(p),
    onCheckRan: options.onCheckRan,
    resolve: (id) => ({
      lab,
      deployment: { ...deployment, deploymentId: id },
      terminals: { transcript: () => '', type: async () => undefined },
      parameters: {},
    }),
  });
  return { engine, state, phases };
}

/** Until `count` checks have finished (reported their phases), then a moment for any extra one to show. */
async function finished(phases: CheckPhases[], count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (phases.length < count && Date.now() < deadline) await sleep(10);
  await sleep(300);
}

describe('auto-check after a finished command', () => {
  it('runs on the command itself, with no fixed wait before it', async () => {
    const { engine, state, phases } = fixture();
    engine.commandFinished('s1');
    // Started before any timer could fire: nothing but the check's own steps lie between.
    await sleep(0);
    expect(state.checks).toEqual(['s1']);
    await finished(phases, 1);
    expect(phases).toHaveLength(1);
    expect(phases[0]).toMatchObject({ stepId: 'work', trigger: 'auto' });
  });

  it('coalesces: commands finishing while one check waits to start ask for nothing more', async () => {
    const { engine, state, phases } = fixture({ concurrency: 1, checkMs: () => 50 });
    engine.commandFinished('other');
    for (let i = 0; i < 5; i++) engine.commandFinished('s1');
    await finished(phases, 2);
    expect(state.checks.filter((id) => id === 's1')).toHaveLength(1);
  });

  it('a command finishing while its check runs gets exactly one more check, which sees its effect', async () => {
    const { engine, state, phases } = fixture({ checkMs: () => 300 });
    const passes: boolean[] = [];
    engine.onResult((_id, outcome) => passes.push(outcome.passed));
    engine.commandFinished('s1');
    while (state.checks.length === 0) await sleep(5);
    state.done = true;
    engine.commandFinished('s1');
    engine.commandFinished('s1');
    await finished(phases, 2);
    expect(state.checks).toEqual(['s1', 's1']);
    expect(engine.states('s1', { steps: [{ id: 'work', latching: 'latch' }] } as LabModule)[0]).toMatchObject({
      status: 'passed',
    });
    expect(passes.at(-1)).toBe(true);
  });

  it("counts a check's time limit from when it starts, not while it waits for the host", async () => {
    const { engine, state, phases } = fixture({
      concurrency: 1,
      timeoutMs: 1_000,
      checkMs: (id) => (id === 'slow' ? 800 : 10),
    });
    state.done = true;
    const slow = engine.check('slow', 'work');
    const waited = engine.check('s1', 'work');
    await slow;
    const outcome = await waited;
    expect(outcome).toMatchObject({ passed: true, recorded: true });
    const mine = phases.find((p) => p.sessionId === 's1');
    // It waited longer than its own limit would allow, and that was no reason to give up.
    expect(mine?.queue).toBeGreaterThanOrEqual(700);
  });

  it("a check that runs out of time is inconclusive and no attempt: never the learner's error", async () => {
    const { engine } = fixture({ timeoutMs: 30, checkMs: () => 200 });
    const outcome = await engine.check('s1', 'work');
    expect(outcome).toMatchObject({ passed: false, recorded: false });
    expect(engine.attempts('s1')).toHaveLength(0);
  });
});

describe("every check's span, for the journal", () => {
  it("reports an auto-check nobody was shown (a step not started), so its probes are not read as the learner's", async () => {
    const ran: CheckRan[] = [];
    const { engine, phases } = fixture({ onCheckRan: (_id, check) => ran.push(check) });
    const shown: unknown[] = [];
    engine.onResult((_id, outcome) => shown.push(outcome));
    engine.commandFinished('s1');
    await finished(phases, 1);
    expect(shown).toHaveLength(0);
    expect(ran).toEqual([expect.objectContaining({ stepId: 'work', passed: false, shown: false })]);
  });

  it('a check that ran past its limit spans until its checker really ended, not until its verdict', async () => {
    const ran: CheckRan[] = [];
    const { engine } = fixture({ timeoutMs: 30, checkMs: () => 300, onCheckRan: (_id, check) => ran.push(check) });
    const outcome = await engine.check('s1', 'work');
    expect(ran).toHaveLength(0);
    const deadline = Date.now() + 10_000;
    while (ran.length === 0 && Date.now() < deadline) await sleep(10);
    expect(ran).toHaveLength(1);
    expect(ran[0]?.shown).toBe(true);
    expect(ran[0]?.at).toBeGreaterThan(outcome.at);
    expect((ran[0]?.at ?? 0) - (ran[0]?.startedAt ?? 0)).toBeGreaterThanOrEqual(290);
  });

  it('two sessions checked at once each keep their own start', async () => {
    const ran = new Map<string, CheckRan>();
    const { engine } = fixture({
      checkMs: (id) => (id === 'a' ? 300 : 20),
      onCheckRan: (id, check) => ran.set(id, check),
    });
    const a = engine.check('a', 'work');
    await sleep(100);
    await engine.check('b', 'work');
    await a;
    const deadline = Date.now() + 10_000;
    while (ran.size < 2 && Date.now() < deadline) await sleep(10);
    const [spanA, spanB] = [ran.get('a'), ran.get('b')];
    expect(spanB?.startedAt ?? 0).toBeGreaterThanOrEqual((spanA?.startedAt ?? 0) + 90);
    expect(spanA?.at ?? 0).toBeGreaterThanOrEqual((spanA?.startedAt ?? 0) + 290);
  });
});
