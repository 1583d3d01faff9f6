import { describe, expect, it } from 'vitest';
import {
  cidrsOverlap,
  poolFor,
  hostAddress,
  lastHostAddress,
  pickFreeSlot,
  slotAt,
  type PoolConfig,
} from '../../server/runtime/addressPool';

const pool: PoolConfig = { templates: { lan: '10.1.{n}.0/24', office: '172.16.{n}.0/24' }, firstSlot: 1, lastSlot: 5 };

describe('lab address pool', () => {
  it('gives the first lab exactly the chapter addresses', () => {
    expect(pickFreeSlot(pool, [])).toEqual({ n: 1, subnets: { lan: '10.1.1.0/24', office: '172.16.1.0/24' } });
    expect(slotAt(pool, 1)).toEqual({ n: 1, subnets: { lan: '10.1.1.0/24', office: '172.16.1.0/24' } });
    expect(hostAddress('10.1.1.0/24', 1)).toBe('10.1.1.1');
    expect(hostAddress('172.16.1.0/24', 10)).toBe('172.16.1.10');
  });

  it('gives a concurrent lab the next free pair', () => {
    expect(pickFreeSlot(pool, ['10.1.1.0/24', '172.16.1.0/24'])?.n).toBe(2);
  });

  it('skips a slot when only one of its subnets is taken by some other network', () => {
    expect(pickFreeSlot(pool, ['172.16.0.0/16'])).toBeNull();
    expect(pickFreeSlot(pool, ['172.16.2.0/24'], new Set([1]))?.n).toBe(3);
  });

  it('treats a wider network that contains a slot as an overlap', () => {
    expect(cidrsOverlap('10.0.0.0/8', '10.1.3.0/24')).toBe(true);
    expect(cidrsOverlap('10.1.3.0/24', '10.1.4.0/24')).toBe(false);
  });

  it('reports exhaustion instead of reusing a slot', () => {
    const taken = [1, 2, 3, 4, 5].map((n) => `10.1.${n}.0/24`);
    expect(pickFreeSlot(pool, taken)).toBeNull();
  });

  it('parks the Docker gateway on the last usable address, away from the lab hosts', () => {
    expect(lastHostAddress('10.1.7.0/24')).toBe('10.1.7.254');
  });

  it('refuses hosts outside the subnet', () => {
    expect(() => hostAddress('10.1.1.0/24', 255)).toThrow(/does not fit/);
  });

  it("fills each lab's own network templates, unless the operator moved one", () => {
    const networks = [
      { id: 'dmz', subnet: '192.168.{n}.0/24' },
      { id: 'lan', subnet: '10.1.{n}.0/24' },
      { id: 'wan', subnet: '172.31.{n}.0/24' },
    ];
    const threeNets = poolFor(networks, { firstSlot: 1, lastSlot: 5, overrides: { lan: '10.77.{n}.0/24' } });
    expect(pickFreeSlot(threeNets, ['192.168.1.0/24'])?.subnets).toEqual({
      dmz: '192.168.2.0/24',
      lan: '10.77.2.0/24',
      wan: '172.31.2.0/24',
    });
  });
});
