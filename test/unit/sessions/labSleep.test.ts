import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LabSessionError } from '../../../server/sessions/LabSessions';
import { MemoryLabRuntime } from '../../support/MemoryLabRuntime';
import { memoryLabSessions } from '../../support/memoryLabSessions';
import { threeNetworkLab } from '../../support/threeNetworkLab';

const LAB = threeNetworkLab.id;

function setup(slots: number) {
  const runtime = new MemoryLabRuntime(10);
  runtime.lastSlot = slots;
  const { sessions, events } = memoryLabSessions(runtime);
  const start = async (owner: string) => {
    const starting = sessions.start(owner, LAB);
    await vi.advanceTimersByTimeAsync(10);
    return starting;
  };
  return { runtime, sessions, events, start };
}

const addresses = (lab: { machines: { addresses: Record<string, string> }[] } | undefined) =>
  lab?.machines.map((m) => m.addresses);

// Sleep and wake on an in-memory runtime whose address slots are few, as on a busy host.
describe('sleeping labs and their address slots', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a sleeping lab frees its slot; waking, it moves to another and says its addresses changed', async () => {
    const { sessions, events, start } = setup(2);
    const ann = await start('ann');
    const before = ann.deployment;
    await sessions.sleep(ann.id, 'learner');
    const bob = await start('bob');
    expect(bob.deployment?.slot).toBe(before?.slot);
    const woken = await sessions.wake(ann.id);
    expect(woken.status).toBe('ready');
    expect(woken.deployment?.slot).not.toBe(before?.slot);
    expect(addresses(woken.deployment)).not.toEqual(addresses(before));
    expect(woken.deployment?.machines.map((m) => m.ref)).toEqual(before?.machines.map((m) => m.ref));
    expect(woken.lastWake).toEqual({ addressesChanged: true, freshMachines: false });
    expect(events.filter((e) => e.session.id === ann.id).map((e) => e.type)).toEqual([
      'started',
      'sleeping',
      'slept',
      'woken',
    ]);
  });

  it('with no free slot, Resume is refused with a clear capacity error and the lab stays asleep; later it wakes in place', async () => {
    const { sessions, start } = setup(1);
    const ann = await start('ann');
    const before = ann.deployment;
    await sessions.sleep(ann.id, 'idle');
    const bob = await start('bob');
    const refused = await sessions.wake(ann.id).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LabSessionError);
    expect((refused as LabSessionError).kind).toBe('capacity');
    expect((refused as LabSessionError).message).toMatch(/files are kept/);
    expect(ann.status).toBe('sleeping');
    await sessions.end(bob.id, 'learner');
    const woken = await sessions.wake(ann.id);
    expect(addresses(woken.deployment)).toEqual(addresses(before));
    expect(woken.lastWake).toEqual({ addressesChanged: false, freshMachines: false });
  });

  it('a lab one of whose machines is gone wakes on fresh machines, and says their files were lost', async () => {
    const { runtime, sessions, start } = setup(3);
    const ann = await start('ann');
    const before = ann.deployment;
    await sessions.sleep(ann.id, 'idle');
    runtime.gone.add(before?.machines[1]?.ref ?? '');
    const waking = sessions.wake(ann.id);
    await vi.advanceTimersByTimeAsync(10);
    const woken = await waking;
    expect(woken.status).toBe('ready');
    expect(woken.lastWake).toEqual({ addressesChanged: false, freshMachines: true });
    expect(woken.deployment?.machines.map((m) => m.ref)).not.toEqual(before?.machines.map((m) => m.ref));
    expect(runtime.resets).toEqual([before?.deploymentId]);
    // Sleeping again forgets how the last wake went.
    await sessions.sleep(ann.id, 'learner');
    expect(ann.lastWake).toBeUndefined();
  });
});
