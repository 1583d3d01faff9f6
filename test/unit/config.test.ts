import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { PER_LAB } from '../../server/runtime/hostCapacity';

describe('configuration from the environment', () => {
  it('binds to loopback on port 8080 by default', () => {
    const config = loadConfig({});
    expect(config.http.host).toBe('127.0.0.1');
    expect(config.http.port).toBe(8080);
    // Subnet templates come from each lab's topology; the environment only overrides them.
    expect(config.runtime.pool.overrides).toEqual({});
  });

  it('groups the settings by the part they configure, durations in milliseconds', () => {
    const config = loadConfig({
      LAB_INSTANCE: 'second',
      DOCKER_SOCKET: '/run/docker.sock',
      LAB_IDLE_MINUTES: '2',
      LAB_IDLE_WARNING_SECONDS: '30',
      LAB_SLEEP_DAYS: '1',
      LAB_MAX_HOURS: '3',
      LAB_MAX_WARNING_MINUTES: '5',
      CLASS_STUCK_MINUTES: '4',
      LAB_ROSTER_WARM_MINUTES: '0',
      GUEST_ACCESS: 'off',
      DATA_DIR: '/srv/lab',
    });
    expect(config.runtime).toMatchObject({ namespace: 'second', socketPath: '/run/docker.sock' });
    expect(config.sessions).toMatchObject({
      idleMs: 120_000,
      idleWarningMs: 30_000,
      sleepMs: 86_400_000,
      maxAgeMs: 3 * 3_600_000,
      maxAgeWarningMs: 300_000,
    });
    expect(config.classroom).toMatchObject({ stuckAfterMs: 240_000, rosterWarmMs: 0 });
    expect(config.auth.guests).toEqual({ access: 'off', perTenMinutes: 20 });
    expect(config.data).toEqual({ dir: '/srv/lab', dbPath: '/srv/lab/iptables-lab.db' });
  });

  it('slows instructor sign-ins past twenty wrong passwords by 100 ms a failure unless told otherwise', () => {
    expect(loadConfig({}).classroom.signInSlowdownMs).toBe(100);
    expect(loadConfig({ INSTRUCTOR_SLOWDOWN_MS: '5' }).classroom.signInSlowdownMs).toBe(5);
    expect(() => loadConfig({ INSTRUCTOR_SLOWDOWN_MS: '0' })).toThrow(/INSTRUCTOR_SLOWDOWN_MS/);
  });

  it('logs at info unless LOG_LEVEL names another level, and refuses a level it does not know', () => {
    expect(loadConfig({}).log).toEqual({ level: 'info' });
    for (const level of ['debug', 'info', 'warn', 'error'] as const)
      expect(loadConfig({ LOG_LEVEL: level }).log).toEqual({ level });
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
  });

  it('lets a host whose own networks clash move the pool', () => {
    const config = loadConfig({
      LAB_LAN_POOL: '10.77.{n}.0/24',
      LAB_DMZ_NET_POOL: '10.78.{n}.0/24',
      LAB_WARM_POOL: '0',
      LAB_POOL_FIRST: '3',
    });
    expect(config.runtime.pool.overrides).toEqual({ lan: '10.77.{n}.0/24', 'dmz-net': '10.78.{n}.0/24' });
    expect(config.runtime.pool.firstSlot).toBe(3);
  });

  it('rejects nonsense with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ LAB_LAN_POOL: '10.1.1.0/24' })).toThrow(/LAB_LAN_POOL/);
    expect(() => loadConfig({ LAB_POOL_FIRST: '9', LAB_POOL_LAST: '3' })).toThrow(/LAB_POOL_FIRST/);
    expect(() => loadConfig({ TLS_CERT: '/etc/cert.pem' })).toThrow(/TLS_CERT and TLS_KEY/);
  });

  it('names every problem at once, so an operator fixes them in one go', () => {
    expect(() => loadConfig({ PORT: 'eighty', GUEST_ACCESS: 'everyone', LAB_LAN_POOL: 'x' })).toThrow(
      /PORT[\s\S]*GUEST_ACCESS[\s\S]*LAB_LAN_POOL/,
    );
  });

  it('sizes the lab limit to the host: CPU on a small host, memory on a host short of it, the pool at most', () => {
    const twoCores = loadConfig({}, { cores: 2, memoryMb: 24 * 1024 });
    expect(twoCores.sessions.maxLabs).toBe(2 * PER_LAB.activeLabsPerCore);
    expect(twoCores.sessions.maxLabsReason).toMatch(/CPU-bound/);
    const lowMemory = loadConfig({}, { cores: 16, memoryMb: 2048 });
    expect(lowMemory.sessions.maxLabs).toBe(Math.floor(1024 / PER_LAB.memoryMb));
    expect(lowMemory.sessions.maxLabsReason).toMatch(/memory-bound/);
    expect(loadConfig({ LAB_POOL_LAST: '20' }, { cores: 64, memoryMb: 256 * 1024 }).sessions.maxLabs).toBe(20);
    expect(loadConfig({ LAB_MAX_PER_HOST: '7' }, { cores: 2, memoryMb: 4096 }).sessions).toMatchObject({
      maxLabs: 7,
      maxLabsReason: 'set by LAB_MAX_PER_HOST',
    });
  });

  it('keeps one lab of spare machine disks per core by default, at most 30, and never more than asked', () => {
    expect(loadConfig({}, { cores: 2, memoryMb: 24 * 1024 }).runtime.spareDisks).toBe(6);
    expect(loadConfig({}, { cores: 64, memoryMb: 256 * 1024 }).runtime.spareDisks).toBe(30);
    expect(loadConfig({ LAB_SPARE_DISKS: '0' }, { cores: 2, memoryMb: 4096 }).runtime.spareDisks).toBe(0);
    expect(() => loadConfig({ LAB_SPARE_DISKS: '31' })).toThrow(/LAB_SPARE_DISKS/);
  });
});
