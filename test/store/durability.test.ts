import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { Store } from '../../server/store/Store';
import { tempDbFile } from './support/tempDb';

const deployment: LabDeployment = {
  deploymentId: 'abc123def456',
  slot: 3,
  networks: [{ id: 'lan', label: 'LAN', subnet: '10.1.3.0/24' }],
  machines: [
    { id: 'machine1', label: 'Machine 1', hostname: 'machine1', addresses: { lan: '10.1.3.1' }, ref: 'c0ffee' },
  ],
  createdAt: 1,
};

describe('the store keeps what it acknowledged', () => {
  const temp = tempDbFile();
  afterEach(() => temp.remove());

  it('keeps classes, learners, lab sessions (with container ids), attempts and events across a reopen', () => {
    const store = Store.open(temp.file);
    store.classes.create({
      id: 'class1',
      name: 'Monday',
      joinCode: 'ABCDEF',
      apiTokenHash: 'sha256:t',
      labId: 'lab',
      createdAt: 5,
    });
    store.learners.create({ id: 'learner-1', displayName: '<b>Ann</b>', classId: 'class1', createdAt: 6 });
    store.labSessions.insert({
      id: 's1',
      learnerId: 'learner-1',
      labId: 'lab',
      status: 'starting',
      createdAt: 7,
      lastActivity: 7,
    });
    store.labSessions.setDeployment('s1', deployment, 'ready');
    store.attempts.record({ sessionId: 's1', stepId: 'backup', at: 8, passed: true, message: 'ok' });
    store.events.record('s1', 'started', { slot: 3 }, 9);
    store.close();

    const again = Store.open(temp.file);
    expect(again.classes.byJoinCode('ABCDEF')?.name).toBe('Monday');
    expect(again.learners.listByClass('class1').map((l) => l.displayName)).toEqual(['<b>Ann</b>']);
    expect(again.labSessions.listLive()).toEqual([
      expect.objectContaining({ id: 's1', status: 'ready', slot: 3, deployment }),
    ]);
    expect(again.attempts.listByClass('class1')).toEqual([
      expect.objectContaining({ stepId: 'backup', passed: true, learnerId: 'learner-1' }),
    ]);
    expect(again.events.listBySession('s1')).toEqual([
      expect.objectContaining({ kind: 'started', detail: { slot: 3 } }),
    ]);
    again.close();
  });

  it('leaves nothing behind from a transaction that throws', () => {
    const store = Store.open(temp.file);
    expect(() =>
      store.transaction(() => {
        store.learners.create({ id: 'learner-2', displayName: 'Bo', classId: null, createdAt: 1 });
        store.labSessions.insert({
          id: 's2',
          learnerId: 'learner-2',
          labId: 'lab',
          status: 'ready',
          createdAt: 1,
          lastActivity: 1,
        });
        throw new Error('crash halfway');
      }),
    ).toThrow('crash halfway');
    expect(store.learners.get('learner-2')).toBeUndefined();
    expect(store.labSessions.get('s2')).toBeUndefined();
    store.close();
  });

  it('an ended session is no longer live and forgets its machines', () => {
    const store = Store.open(temp.file);
    store.learners.ensure('learner-3', 'Guest', 1);
    store.labSessions.insert({
      id: 's3',
      learnerId: 'learner-3',
      labId: 'lab',
      status: 'starting',
      createdAt: 1,
      lastActivity: 1,
    });
    store.labSessions.setDeployment('s3', deployment, 'ready');
    store.labSessions.end('s3', 10, 'learner');
    expect(store.labSessions.listLive()).toEqual([]);
    expect(store.labSessions.get('s3')).toMatchObject({
      status: 'ended',
      endedAt: 10,
      endReason: 'learner',
      deployment: null,
    });
    store.close();
  });

  it('loses no acknowledged write when the writing process is killed with SIGKILL', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/store/support/ackWriter.ts', temp.file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        // Kill well into the stream, while it is certainly mid-write.
        if (/ack 300\n/.test(out)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`writer exited early: ${stderr}`)));
    });
    await new Promise((r) => child.once('exit', r));
    const acked = [...out.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]));
    const store = Store.open(temp.file);
    const steps = new Set(store.attempts.listBySession('crashsession').map((a) => a.stepId));
    const events = store.events.listBySession('crashsession').length;
    store.close();
    for (const n of acked) expect(steps.has(`step-${n}`)).toBe(true);
    // Attempt and event were one transaction: never one without the other.
    expect(events).toBe(steps.size);
  }, 60_000);
});
