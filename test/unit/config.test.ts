import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { PER_LAB } from '../../server/runtime/hostCapacity';

describe('configuration from the environment', () => {
  it('binds to loopback on port 8080 by default', () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    // Subnet templates come from each lab's topology; the environment only overrides them.
    expect(config.lab.pool.overrides).toEqual({});
  });

  it('lets a host whose own networks clash move the pool', () => {
    const config = loadConfig({
      LAB_LAN_POOL: '10.77.{n}.0/24',
      LAB_DMZ_NET_POOL: '10.78.{n}.0/24',
      LAB_WARM_POOL: '0',
      LAB_POOL_FIRST: '3',
    });
    expect(config.lab.pool.overrides).toEqual({ lan: '10.77.{n}.0/24', 'dmz-net': '10.78.{n}.0/24' });
    expect(config.lab.pool.firstSlot).toBe(3);
  });

  it('rejects nonsense with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ LAB_LAN_POOL: '10.1.1.0/24' })).toThrow(/LAB_LAN_POOL/);
  });

  it('sizes the lab limit to the host: CPU on a small host, memory on a host short of it, the pool at most', () => {
    const twoCores = loadConfig({}, { cores: 2, memoryMb: 24 * 1024 });
    expect(twoCores.lab.maxPerHost).toBe(2 * PER_LAB.activeLabsPerCore);
    expect(twoCores.lab.maxPerHostReason).toMatch(/CPU-bound/);
    const lowMemory = loadConfig({}, { cores: 16, memoryMb: 2048 });
    expect(lowMemory.lab.maxPerHost).toBe(Math.floor(1024 / PER_LAB.memoryMb));
    expect(lowMemory.lab.maxPerHostReason).toMatch(/memory-bound/);
    expect(loadConfig({ LAB_POOL_LAST: '20' }, { cores: 64, memoryMb: 256 * 1024 }).lab.maxPerHost).toBe(20);
    expect(loadConfig({ LAB_MAX_PER_HOST: '7' }, { cores: 2, memoryMb: 4096 }).lab).toMatchObject({
      maxPerHost: 7,
      maxPerHostReason: 'set by LAB_MAX_PER_HOST',
    });
  });
});
