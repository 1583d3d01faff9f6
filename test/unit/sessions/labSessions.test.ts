import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LabSessionError } from '../../../server/sessions/LabSessions';
import { MemoryLabRuntime } from '../../support/MemoryLabRuntime';
import { memoryLabSessions } from '../../support/memoryLabSessions';
import { threeNetworkLab } from '../../support/threeNetworkLab';

const LAB = threeNetworkLab.id;

// Session logic on an in-memory runtime and fake timers: seconds of lab life in milliseconds.
describe('lab sessions (in-memory runtime, fake clock)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('destroys the machines of a lab ended while it was starting', async () => {
    const runtime = new MemoryLabRuntime(1000);
    const { sessions, events } = memoryLabSessions(runtime);
    const starting = sessions.start('ann', LAB);
    const outcome = expect(starting).rejects.toThrow(/ended while it was starting/);
    const [session] = sessions.listOwned('ann');
    await sessions.end(session?.id ?? '', 'learner');
    await vi.advanceTimersByTimeAsync(1000);
    await outcome;
    expect(runtime.labs.size).toBe(0);
    expect(runtime.destroyed).toEqual(runtime.created);
    expect(events.map((e) => e.type)).toEqual(['ended']);
  });

  it('counts the maximum age from when the lab is ready, not from when Start was pressed', async () => {
    const runtime = new MemoryLabRuntime(5000);
    const { sessions } = memoryLabSessions(runtime, { maxAgeMs: 60_000 });
    const pressed = Date.now();
    const starting = sessions.start('ann', LAB);
    await vi.advanceTimersByTimeAsync(5000);
    const session = await starting;
    expect(session.expiresAt).toBe(pressed + 5000 + 60_000);
  });

  it('refuses a lab beyond the host limit, and has room again once one ends', async () => {
    const runtime = new MemoryLabRuntime(10);
    const { sessions } = memoryLabSessions(runtime, { maxLabs: 2 });
    const started = Promise.all([sessions.start('ann', LAB), sessions.start('bob', LAB)]);
    await vi.advanceTimersByTimeAsync(10);
    const [ann] = await started;
    const refused = await sessions.start('cid', LAB).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LabSessionError);
    expect((refused as LabSessionError).kind).toBe('capacity');
    await sessions.end(ann.id, 'learner');
    const again = sessions.start('cid', LAB);
    await vi.advanceTimersByTimeAsync(10);
    expect((await again).status).toBe('ready');
    // Three networks each, on distinct slots: no two live labs share a subnet.
    const subnets = [...runtime.labs.values()].flatMap((deployment) => deployment.networks.map((n) => n.subnet));
    expect(subnets).toHaveLength(6);
    expect(new Set(subnets).size).toBe(6);
  });

  it('warns an idle learner, puts the lab to sleep, then removes it; activity postpones all', async () => {
    const runtime = new MemoryLabRuntime(10);
    const { sessions, events } = memoryLabSessions(runtime);
    sessions.startBackground();
    const starting = sessions.start('ann', LAB);
    await vi.advanceTimersByTimeAsync(10);
    const session = await starting;
    await vi.advanceTimersByTimeAsync(45_000);
    sessions.touch(session.id);
    await vi.advanceTimersByTimeAsync(45_000);
    expect(events.map((e) => e.type)).toEqual(['started']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(events.map((e) => e.type)).toEqual(['started', 'idle-warning']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(session.status).toBe('sleeping');
    expect(runtime.sleeping.has(session.deployment?.deploymentId ?? '')).toBe(true);
    await vi.advanceTimersByTimeAsync(125_000);
    expect(events.at(-1)).toMatchObject({ type: 'ended', reason: 'expired' });
    expect(runtime.labs.size).toBe(0);
    await sessions.shutdown();
  });

  it('announces activity only when it lifts an idle warning', async () => {
    const runtime = new MemoryLabRuntime(10);
    const { sessions, events } = memoryLabSessions(runtime);
    sessions.startBackground();
    const starting = sessions.start('ann', LAB);
    await vi.advanceTimersByTimeAsync(10);
    const session = await starting;
    sessions.touch(session.id);
    await vi.advanceTimersByTimeAsync(55_000);
    expect(events.map((e) => e.type)).toEqual(['started', 'idle-warning']);
    sessions.touch(session.id);
    sessions.touch(session.id);
    expect(events.map((e) => e.type)).toEqual(['started', 'idle-warning', 'activity']);
    expect(session.idleExpiresAt).toBe(Date.now() + 60_000);
    await sessions.shutdown();
  });

  it('starts the idle time when the lab is ready, with no activity to announce however long the start took', async () => {
    const runtime = new MemoryLabRuntime(55_000);
    const { sessions, events } = memoryLabSessions(runtime);
    const starting = sessions.start('ann', LAB);
    await vi.advanceTimersByTimeAsync(55_000);
    const session = await starting;
    expect(events.map((e) => e.type)).toEqual(['started']);
    expect(session.idleExpiresAt).toBe(Date.now() + 60_000);
  });

  it('refuses a second reset while one is under way, and takes one again afterwards', async () => {
    const runtime = new MemoryLabRuntime(1000);
    const { sessions, events } = memoryLabSessions(runtime);
    const starting = sessions.start('ann', LAB);
    await vi.advanceTimersByTimeAsync(1000);
    const session = await starting;
    const first = sessions.reset(session.id);
    const second = await sessions.reset(session.id, 'instructor').catch((error: unknown) => error);
    expect(second).toBeInstanceOf(LabSessionError);
    expect((second as LabSessionError).kind).toBe('busy');
    await vi.advanceTimersByTimeAsync(1000);
    await first;
    const third = sessions.reset(session.id);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await third).status).toBe('ready');
    expect(events.filter((e) => e.type === 'reset')).toHaveLength(2);
    await sessions.shutdown();
  });

  it('refills the warm pool after failed creations, backing off in between', async () => {
    const runtime = new MemoryLabRuntime(10);
    runtime.failCreates = 2;
    const { sessions } = memoryLabSessions(runtime, { warmPoolSize: 1 });
    sessions.startBackground();
    await vi.advanceTimersByTimeAsync(10);
    expect(sessions.warmReady()).toBe(0);
    // Back-off: 4 s after the first failure, then 8 s after the second.
    await vi.advanceTimersByTimeAsync(4010);
    expect(sessions.warmReady()).toBe(0);
    await vi.advanceTimersByTimeAsync(8010);
    expect(sessions.warmReady()).toBe(1);
    // A warm lab is handed over without waiting for a creation.
    const session = await sessions.start('ann', LAB);
    expect(session.status).toBe('ready');
    expect(sessions.warmReady()).toBe(0);
    await sessions.shutdown();
    expect(runtime.labs.size).toBe(0);
  });

  it('hands a learner arriving while warm labs are being made the next one done, not a lab of her own', async () => {
    const runtime = new MemoryLabRuntime(1000);
    const { sessions } = memoryLabSessions(runtime, { startConcurrency: 1 });
    sessions.warmFor('class', LAB, 2, Date.now() + 60_000);
    await vi.advanceTimersByTimeAsync(400);
    // Both warm labs are under way (one being made, one queued); Ann waits for the first.
    const starting = sessions.start('ann', LAB);
    await vi.advanceTimersByTimeAsync(600);
    const ann = await starting;
    expect(ann.status).toBe('ready');
    expect(runtime.created).toHaveLength(1);
    expect(ann.deployment?.deploymentId).toBe(runtime.created[0]);
    // The second warm lab is the class's, ready for the next learner.
    await vi.advanceTimersByTimeAsync(1000);
    expect(runtime.created).toHaveLength(2);
    expect(sessions.warmReady()).toBe(1);
    await sessions.shutdown();
  });

  it('starts a lab of its own for a learner whose claimed warm lab failed', async () => {
    const runtime = new MemoryLabRuntime(1000);
    const { sessions } = memoryLabSessions(runtime, { startConcurrency: 1 });
    runtime.failCreates = 1;
    sessions.warmFor('class', LAB, 1, Date.now() + 60_000);
    const starting = sessions.start('ann', LAB);
    await vi.advanceTimersByTimeAsync(2000);
    const ann = await starting;
    expect(ann.status).toBe('ready');
    // Her lab was made for her, under her session's id.
    expect(ann.deployment?.deploymentId).toBe(ann.id);
    await sessions.shutdown();
  });

  it('resets onto the same addresses, and a check racing the reset sees the old machines go', async () => {
    const runtime = new MemoryLabRuntime(10);
    const { sessions, events } = memoryLabSessions(runtime);
    const starting = sessions.start('ann', LAB);
    await vi.advanceTimersByTimeAsync(10);
    const session = await starting;
    const before = session.deployment;
    if (!before) throw new Error('no lab');
    const resetting = sessions.reset(session.id);
    await vi.advanceTimersByTimeAsync(1);
    // What a checker does mid-reset: its exec on the old machines fails instead of reading new ones.
    await expect(runtime.exec(before, 'router')).rejects.toThrow(/no such lab/);
    expect(session.status).toBe('resetting');
    await vi.advanceTimersByTimeAsync(10);
    await resetting;
    expect(session.status).toBe('ready');
    expect(session.deployment?.machines.map((m) => m.ref)).not.toEqual(before.machines.map((m) => m.ref));
    expect(session.deployment?.slot).toBe(before.slot);
    expect(session.deployment?.machines.find((m) => m.id === 'router')?.addresses).toEqual(
      before.machines.find((m) => m.id === 'router')?.addresses,
    );
    expect(events.map((e) => e.type)).toEqual(['started', 'resetting', 'reset']);
  });

  it('ends a lab whose reset is still creating machines without leaking them', async () => {
    const runtime = new MemoryLabRuntime(1000);
    const { sessions } = memoryLabSessions(runtime);
    const starting = sessions.start('ann', LAB);
    await vi.advanceTimersByTimeAsync(1000);
    const session = await starting;
    const resetting = sessions.reset(session.id);
    await vi.advanceTimersByTimeAsync(500);
    const ending = sessions.end(session.id, 'learner');
    await vi.advanceTimersByTimeAsync(500);
    await Promise.all([resetting, ending]);
    expect(session.status).toBe('ended');
    expect(runtime.labs.size).toBe(0);
  });
});
