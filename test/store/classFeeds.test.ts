import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import type { ClassChanges, DashboardMessage } from '../../protocol/classChanges';
import { ClassFeeds, STATS_AFTER_CHANGE_MS } from '../../server/classroom/ClassFeeds';
import { ClassroomChanges } from '../../server/classroom/ClassroomChanges';
import { ProgressRecords } from '../../server/classroom/ProgressRecords';
import { Store } from '../../server/store/Store';
import { tempDbFile } from './support/tempDb';

/** A dashboard's socket: keeps what the feed sends. */
function dashboardSocket(): { ws: WebSocket; received: DashboardMessage[] } {
  const received: DashboardMessage[] = [];
  const ws = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    send: (text: string) => received.push(JSON.parse(text) as DashboardMessage),
    on: () => ws,
  };
  return { ws: ws as unknown as WebSocket, received };
}

const passedOf = (stats: ClassChanges['stepStats'], stepId: string) => stats?.find((s) => s.stepId === stepId)?.passed;

describe('a class’s dashboard feed, on a real database file', () => {
  const temp = tempDbFile();
  let store: Store;
  let feeds: ClassFeeds;
  beforeEach(() => {
    vi.useFakeTimers();
    store = Store.open(temp.file);
    store.classes.create({
      id: 'c1',
      name: 'Mon',
      joinCode: 'ABCDEFGH',
      apiTokenHash: 'sha256:t',
      labId: 'lab',
      createdAt: 0,
    });
    for (const learnerId of ['ann', 'bo']) {
      store.learners.create({ id: learnerId, displayName: learnerId, classId: 'c1', createdAt: 1 });
      store.labSessions.insert({
        id: `${learnerId}-1`,
        learnerId,
        labId: 'lab',
        status: 'starting',
        createdAt: 2,
        lastActivity: 2,
      });
    }
  });
  afterEach(() => {
    vi.useRealTimers();
    store.close();
    temp.remove();
  });

  it('sends “where the class is” right after the changed lines, once for a burst, not on the next full refresh', () => {
    const changes = new ClassroomChanges();
    const progress = new ProgressRecords(store, changes);
    const steps = () => [{ id: 'backup', title: 'Back up' }];
    feeds = new ClassFeeds({
      snapshot: { store, sessions: { get: () => undefined }, steps, stuckAfterMs: 600_000 },
      changes,
      log: () => undefined,
    });
    const { ws, received } = dashboardSocket();
    feeds.watch('c1', ws);
    expect(received[0]).toMatchObject({ type: 'snapshot' });
    expect(received[0]?.type === 'snapshot' && passedOf(received[0].data.stepStats, 'backup')).toBe(0);

    progress.record('ann-1', { stepId: 'backup', at: 10, passed: true, message: 'ok', trigger: 'check' });
    progress.record('bo-1', { stepId: 'backup', at: 11, passed: true, message: 'ok', trigger: 'check' });
    // The lines come first (the changes are coalesced per quarter second)…
    vi.advanceTimersByTime(250);
    const lines = received.slice(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: 'changes', data: { learners: [{ id: 'ann' }, { id: 'bo' }] } });
    // …then the statistics, once for both, well before the full refresh.
    vi.advanceTimersByTime(STATS_AFTER_CHANGE_MS);
    const after = received.slice(2);
    expect(after).toHaveLength(1);
    const stats = after[0]?.type === 'changes' ? after[0].data : undefined;
    expect(stats?.learners).toEqual([]);
    expect(passedOf(stats?.stepStats, 'backup')).toBe(2);
  });
});
