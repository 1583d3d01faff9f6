import { afterEach, describe, expect, it } from 'vitest';
import type { LabDeployment } from '../../labkit/deployment';
import { Store } from '../../server/store/Store';
import { tempDbFile } from './support/tempDb';

const deployment: LabDeployment = {
  deploymentId: 'lab-1',
  slot: 3,
  networks: [{ id: 'lan', label: 'LAN', subnet: '10.1.3.0/24' }],
  machines: [{ id: 'machine1', label: 'Machine 1', hostname: 'machine1', addresses: { lan: '10.1.3.2' }, ref: 'c1' }],
  createdAt: 1000,
};

describe('JSON the store reads back from its own columns', () => {
  const temp = tempDbFile();
  afterEach(() => temp.remove());

  const withLab = (): Store => {
    const store = Store.open(temp.file);
    store.learners.ensure('guest-1', 'Guest', 1);
    store.labSessions.insert({
      id: 'lab-1',
      learnerId: 'guest-1',
      labId: 'l',
      status: 'starting',
      createdAt: 1,
      lastActivity: 1,
    });
    return store;
  };
  const overwrite = (store: Store, column: string, table: string, value: string): void => {
    store.db.prepare<[string]>(`UPDATE ${table} SET ${column} = ?`).run(value);
  };

  it('gives the machines back as they were written', () => {
    const store = withLab();
    store.labSessions.setDeployment('lab-1', deployment, 'ready');
    expect(store.labSessions.get('lab-1')?.deployment).toEqual(deployment);
    store.close();
  });

  it('reads machines stored before the deployment id had its own name', () => {
    const store = withLab();
    const { deploymentId, ...rest } = deployment;
    overwrite(store, 'instance_json', 'lab_sessions', JSON.stringify({ ...rest, labSessionId: deploymentId }));
    expect(store.labSessions.get('lab-1')?.deployment).toEqual(deployment);
    store.close();
  });

  it('keeps a field a newer server wrote, so writing the row back does not lose it', () => {
    const store = withLab();
    overwrite(store, 'instance_json', 'lab_sessions', JSON.stringify({ ...deployment, future: { x: 1 } }));
    expect(store.labSessions.get('lab-1')?.deployment).toEqual({ ...deployment, future: { x: 1 } });
    store.close();
  });

  it.each([
    ['not JSON', '{"labSessionId": "lab-1", '],
    ['the wrong shape', JSON.stringify({ ...deployment, machines: 'machine1' })],
    ['a missing field', JSON.stringify({ ...deployment, slot: undefined })],
  ])('reads machines stored as %s as none, so a restart ends that lab as lost', (_case, text) => {
    const store = withLab();
    overwrite(store, 'instance_json', 'lab_sessions', text);
    expect(store.labSessions.get('lab-1')?.deployment).toBeNull();
    expect(store.labSessions.listLive().map((row) => row.deployment)).toEqual([null]);
    store.close();
  });

  it('keeps an event whose details cannot be read, and says so', () => {
    const store = withLab();
    store.events.record('lab-1', 'reset', { by: 'instructor' }, 5);
    expect(store.events.listBySession('lab-1')[0]?.detail).toEqual({ by: 'instructor' });
    overwrite(store, 'detail_json', 'lab_events', '[1, 2');
    expect(store.events.listBySession('lab-1')).toMatchObject([{ kind: 'reset', at: 5, detail: { unreadable: true } }]);
    overwrite(store, 'detail_json', 'lab_events', '"just a string"');
    expect(store.events.listBySession('lab-1')[0]?.detail).toEqual({ unreadable: true });
    store.close();
  });
});
