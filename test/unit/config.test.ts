import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

describe('configuration from the environment', () => {
  it('binds to loopback on port 8080 by default', () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.lab.pool.templates).toEqual({ lan: '10.1.{n}.0/24', office: '172.16.{n}.0/24' });
  });

  it('lets a host whose own networks clash move the pool', () => {
    const config = loadConfig({ LAB_LAN_POOL: '10.77.{n}.0/24', LAB_POOL_FIRST: '3' });
    expect(config.lab.pool.templates.lan).toBe('10.77.{n}.0/24');
    expect(config.lab.pool.firstSlot).toBe(3);
  });

  it('rejects nonsense with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ LAB_LAN_POOL: '10.1.1.0/24' })).toThrow(/LAB_LAN_POOL/);
  });
});
