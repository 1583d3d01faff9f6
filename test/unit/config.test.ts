import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

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
});
