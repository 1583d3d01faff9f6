import { afterEach, describe, expect, it } from 'vitest';
import type { LabInstance } from '../../labkit/instance';
import { Store } from '../../server/store/Store';
import { tempDbFile } from './support/tempDb';

const instance: LabInstance = {
  labSessionId: 'lab-1',
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
    store.labSessions.setInstance('lab-1', instance, 'ready');
    expect(store.labSessions.get('lab-1')?.instance).toEqual(instance);
    store.close();
  });

  it('keeps a field a newer server wrote, so writing the row back does not lose it', () => {
    const store = withLab();
    overwrite(store, 'instance_json', 'lab_sessions', JSON.stringify({ ...instance, future: { x: 1 } }));
    expect(store.labSessions.get('lab-1')?.instance).toEqual({ ...instance, future: { x: 1 } });
    store.close();
  });

  it.each([
    ['not JSON', '{"labSessionId": "lab-1", '],
    ['the wrong shape', JSON.stringify({ ...instance, machines: 'machine1' })],
    ['a missing field', JSON.stringify({ ...instance, slot: undefined })],
  ])('reads machines stored as %s as none, so a restart ends that lab as lost', (_case, text) => {
    const store = withLab();
    overwrite(store, 'instance_json', 'lab_sessions', text);
    expect(store.labSessions.get('lab-1')?.instance).toBeNull();
    expect(store.labSessions.listLive().map((row) => row.instance)).toEqual([null]);
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
