import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClassroomChanges } from '../../server/classroom/ClassroomChanges';
import { restoreSessions, type RestorableSession } from '../../server/classroom/restoreSessions';
import { SessionRecorder } from '../../server/classroom/SessionRecorder';
import { silentLog } from '../../server/log/Log';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { Store } from '../../server/store/Store';
import { MemoryLabRuntime } from '../support/MemoryLabRuntime';
import { memoryLabSessions } from '../support/memoryLabSessions';
import { threeNetworkLab } from '../support/threeNetworkLab';
import { tempDbFile } from './support/tempDb';

// A sleeping lab is kept for LAB_SLEEP_DAYS from when it went to sleep; a crash must not move that.
describe('when a lab went to sleep is stored as it goes to sleep', () => {
  const temp = tempDbFile();
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    temp.remove();
  });

  it('a server killed while the machines were stopping comes back with the lab asleep since then, not since the restart', async () => {
    const store = Store.open(temp.file);
    const runtime = new MemoryLabRuntime(10);
    const { sessions } = memoryLabSessions(runtime);
    const recorder = new SessionRecorder(store, new ClassroomChanges(), silentLog, () => undefined);
    sessions.on((event) => recorder.onEvent(event));
    const starting = sessions.start('ann', threeNetworkLab.id);
    await vi.advanceTimersByTimeAsync(10);
    const ann = await starting;

    // The machines stop, and the server dies before they have finished stopping.
    const sleep = runtime.sleep.bind(runtime);
    runtime.sleep = (deployment: LabDeployment) => {
      void sleep(deployment);
      return new Promise<void>(() => undefined);
    };
    void sessions.sleep(ann.id, 'idle');
    const sleptAt = ann.sleptAt;
    expect(sleptAt).toBe(Date.now());
    await vi.advanceTimersByTimeAsync(30_000);

    runtime.sleep = sleep;
    const adopted: RestorableSession[] = [];
    await restoreSessions(store, runtime, (session) => adopted.push(session), silentLog);
    expect(adopted.map((s) => [s.id, s.sleptAt])).toEqual([[ann.id, sleptAt]]);
    expect(store.labSessions.get(ann.id)).toMatchObject({ status: 'sleeping', sleptAt });
    store.close();
  });
});
