import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lifecycleMarkdown, TRANSITIONS, type TransitionName } from '../../../server/sessions/lifecycle';
import type { LabSession, LabSessionStatus, SessionEventSnapshot } from '../../../server/sessions/labSessionTypes';
import { newSession } from '../../../server/sessions/newSession';
import { SessionTable } from '../../../server/sessions/SessionTable';
import { MemoryLabRuntime } from '../../support/MemoryLabRuntime';
import { memoryLabSessions } from '../../support/memoryLabSessions';
import { threeNetworkLab } from '../../support/threeNetworkLab';

const STATUSES: LabSessionStatus[] = ['starting', 'ready', 'resetting', 'broken', 'sleeping', 'waking', 'ended'];

function table() {
  const logged: string[] = [];
  const sessions = new SessionTable({
    runtime: new MemoryLabRuntime(0),
    idleMs: 60_000,
    idleWarningMs: 10_000,
    log: (message) => logged.push(message),
  });
  return { sessions, logged };
}

const sessionIn = (status: LabSessionStatus): LabSession => ({
  ...newSession('ann', 'lab', { idleMs: 60_000 }),
  status,
});

/** The table, read as: "<name>" takes a session from <from> to <to>. */
const allowed: [TransitionName, LabSessionStatus, LabSessionStatus][] = [
  ['started', 'starting', 'ready'],
  ['resetting', 'ready', 'resetting'],
  ['resetting', 'broken', 'resetting'],
  ['resetting', 'sleeping', 'resetting'],
  ['reset', 'resetting', 'ready'],
  ['sleeping', 'ready', 'sleeping'],
  ['sleeping', 'broken', 'sleeping'],
  ['waking', 'sleeping', 'waking'],
  ['woken', 'waking', 'ready'],
  ['wake-failed', 'waking', 'sleeping'],
  ['broken', 'ready', 'broken'],
  ['recovered', 'broken', 'ready'],
  ['ended', 'starting', 'ended'],
  ['ended', 'ready', 'ended'],
  ['ended', 'broken', 'ended'],
  ['ended', 'resetting', 'ended'],
  ['ended', 'sleeping', 'ended'],
  ['ended', 'waking', 'ended'],
];

describe('the lab session lifecycle', () => {
  it.each(allowed)('"%s" takes a %s session to %s', (name, from, to) => {
    const { sessions, logged } = table();
    const session = sessionIn(from);
    expect(sessions.move(session, name)).toBe(true);
    expect(session.status).toBe(to);
    expect(logged).toEqual([]);
  });

  it('allows nothing else: every other transition is refused, logged, and leaves the status as it was', () => {
    const names = Object.keys(TRANSITIONS) as TransitionName[];
    const refused = STATUSES.flatMap((from) =>
      names.filter((name) => !allowed.some(([n, f]) => n === name && f === from)).map((name) => [name, from] as const),
    );
    expect(refused.length).toBe(STATUSES.length * names.length - allowed.length);
    for (const [name, from] of refused) {
      const { sessions, logged } = table();
      const session = sessionIn(from);
      expect(sessions.move(session, name), `${name} from ${from}`).toBe(false);
      expect(session.status).toBe(from);
      expect(logged).toEqual([`lab session ${session.id}: "${name}" refused, the session is ${from}`]);
    }
  });

  it('an ended session stays ended: nothing leads out of it', () => {
    for (const transition of Object.values(TRANSITIONS)) expect(transition.from).not.toContain('ended');
  });

  it('is the table ARCHITECTURE.md shows', () => {
    const architecture = readFileSync(new URL('../../../ARCHITECTURE.md', import.meta.url), 'utf8');
    expect(architecture).toContain(lifecycleMarkdown());
  });
});

describe('the owner of the status (in-memory runtime, fake clock)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('gives listeners a read-only snapshot: later changes of the session do not reach an event already heard', async () => {
    const { sessions, events } = memoryLabSessions(new MemoryLabRuntime(10));
    const starting = sessions.start('ann', threeNetworkLab.id);
    await vi.advanceTimersByTimeAsync(10);
    const session = await starting;
    await sessions.sleep(session.id, 'learner');
    const started = events.find((e) => e.type === 'started') as SessionEventSnapshot;
    expect(Object.isFrozen(started.session)).toBe(true);
    expect(started.session.status).toBe('ready');
    expect(session.status).toBe('sleeping');
  });

  it('refuses and logs a reset finishing after the lab ended, instead of making it ready again', async () => {
    const logged: string[] = [];
    const runtime = new MemoryLabRuntime(10);
    const { sessions, events } = memoryLabSessions(runtime, { log: (message) => logged.push(message) });
    const starting = sessions.start('ann', threeNetworkLab.id);
    await vi.advanceTimersByTimeAsync(10);
    const session = await starting;
    const resetting = sessions.reset(session.id);
    await vi.advanceTimersByTimeAsync(1);
    const ended = sessions.end(session.id, 'learner');
    await vi.advanceTimersByTimeAsync(10);
    await ended;
    await resetting;
    expect(session.status).toBe('ended');
    expect(events.map((e) => e.type)).toEqual(['started', 'resetting', 'ended']);
    expect(logged).toContain(`lab session ${session.id}: "reset" refused, the session is ended`);
  });

  it('refuses and logs a wake finishing after the lab ended', async () => {
    const logged: string[] = [];
    const runtime = new MemoryLabRuntime(10);
    const wake = runtime.wake.bind(runtime);
    // Machines that take a while to boot, so the end comes first.
    runtime.wake = async (deployment, topology) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return wake(deployment, topology);
    };
    const { sessions, events } = memoryLabSessions(runtime, { log: (message) => logged.push(message) });
    const starting = sessions.start('ann', threeNetworkLab.id);
    await vi.advanceTimersByTimeAsync(10);
    const session = await starting;
    await sessions.sleep(session.id, 'learner');
    const waking = sessions.wake(session.id);
    await vi.advanceTimersByTimeAsync(1);
    const ended = sessions.end(session.id, 'learner');
    await vi.advanceTimersByTimeAsync(10);
    await ended;
    await waking.catch(() => undefined);
    expect(session.status).toBe('ended');
    expect(events.map((e) => e.type)).not.toContain('woken');
    expect(logged).toContain(`lab session ${session.id}: "woken" refused, the session is ended`);
  });
});
