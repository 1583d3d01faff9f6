import { describe, expect, it } from 'vitest';
import { LoginThrottle, slowdown } from '../../../server/classroom/LoginThrottle';

describe('the instructor sign-in throttle', () => {
  let now = 0;
  const throttle = () => new LoginThrottle('secret', {}, () => now);

  it('makes a client wait after ten wrong passwords, until the oldest leaves the window', () => {
    now = 1_000;
    const t = throttle();
    const client = t.clientKey('10.0.0.1', undefined);
    for (let i = 0; i < 10; i++) t.failed('instructor', client);
    expect(t.retryAfterMs('instructor', client)).toBe(120_000);
    expect(t.retryAfterMs('instructor', t.clientKey('10.0.0.2', undefined))).toBe(0);
    now += 120_001;
    expect(t.retryAfterMs('instructor', client)).toBe(0);
  });

  it('keys a browser with a genuine device token by the device, and a forged one by its address', () => {
    const t = throttle();
    const device = t.newDevice();
    expect(t.clientKey('10.0.0.1', device)).toMatch(/^device /);
    expect(t.clientKey('10.0.0.1', `${device.split('.')[0]}.forged`)).toBe('address 10.0.0.1');
    expect(new LoginThrottle('other secret').clientKey('10.0.0.1', device)).toBe('address 10.0.0.1');
  });

  it('slows the account down past twenty failures from anywhere, up to a ceiling, and never refuses', () => {
    now = 0;
    const t = throttle();
    for (let i = 0; i < 20; i++) t.failed('instructor', `address 10.0.1.${i}`);
    expect(t.delayMs('instructor')).toBe(0);
    t.failed('instructor', 'address 10.0.2.1');
    expect(t.delayMs('instructor')).toBe(100);
    for (let i = 0; i < 100; i++) t.failed('instructor', `address 10.0.3.${i}`);
    expect(t.delayMs('instructor')).toBe(2_000);
    expect(t.retryAfterMs('instructor', 'address 10.0.9.9')).toBe(0);
  });

  it('scales the slow-down and its ceiling with the configured step, the default being 100 ms up to 2 s', () => {
    now = 0;
    const t = new LoginThrottle('secret', slowdown(5), () => now);
    for (let i = 0; i < 21; i++) t.failed('instructor', `address 10.0.4.${i}`);
    expect(t.delayMs('instructor')).toBe(5);
    for (let i = 0; i < 100; i++) t.failed('instructor', `address 10.0.5.${i}`);
    expect(t.delayMs('instructor')).toBe(100);
    expect(slowdown(100)).toEqual({ stepMs: 100, maxDelayMs: 2_000 });
  });
});
