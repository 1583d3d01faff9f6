import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HostAccessUnavailable } from '../../../server/runtime/LabRuntime';
import { hostNetns } from '../../../server/runtime/capabilities';
import { LabSessionError } from '../../../server/sessions/LabSessions';
import { MemoryLabRuntime } from '../../support/MemoryLabRuntime';
import { memoryLabSessions } from '../../support/memoryLabSessions';
import { threeNetworkLab } from '../../support/threeNetworkLab';

const LAB = threeNetworkLab.id;

// A lab platform that offers only the core: what callers do when a capability is missing.
describe('a runtime without sleep or host access', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  async function started() {
    const runtime = new MemoryLabRuntime(10, {});
    const { sessions, events } = memoryLabSessions(runtime);
    const starting = sessions.start('ann', LAB);
    await vi.advanceTimersByTimeAsync(10);
    return { runtime, sessions, events, session: await starting };
  }

  it('refuses Sleep with a clear reason, and the lab keeps running', async () => {
    const { runtime, sessions, session } = await started();
    const refused = await sessions.sleep(session.id, 'learner').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LabSessionError);
    expect(refused).toMatchObject({ kind: 'unsupported' });
    expect(String(refused)).toMatch(/cannot put labs to sleep/);
    expect(session.status).toBe('ready');
    expect(runtime.sleeping.size).toBe(0);
    await sessions.shutdown();
  });

  it('ends an idle lab instead of putting it to sleep', async () => {
    const { runtime, sessions, events, session } = await started();
    sessions.startBackground();
    await vi.advanceTimersByTimeAsync(75_000);
    expect(events.at(-1)).toMatchObject({ type: 'ended', reason: 'idle' });
    expect(session.status).toBe('ended');
    expect(runtime.labs.size).toBe(0);
    await sessions.shutdown();
  });

  it('answers host programs with HostAccessUnavailable, the error every caller falls back on', async () => {
    const { runtime, sessions, session } = await started();
    const deployment = session.deployment;
    if (!deployment) throw new Error('no deployment');
    await expect(hostNetns(runtime).netnsExec(deployment, 'router', ['true'])).rejects.toBeInstanceOf(
      HostAccessUnavailable,
    );
    await sessions.shutdown();
  });
});
