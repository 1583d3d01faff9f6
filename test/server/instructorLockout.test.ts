import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from './support/testServer';

const PASSWORD = 'lockout-owner-password';

/**
 * Wrong instructor passwords are limited per account and client, and slowed down per account, so
 * that guessing stays slow while nobody can lock the owner out. The server trusts the loopback
 * proxy, so each request says its client address in X-Forwarded-For, as behind a proxy.
 */
describe('instructor sign-in: strangers cannot lock the owner out', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    // The account's slow-down (100 ms a failure past twenty by default, test/unit/classroom/loginThrottle.test.ts)
    // at 1 ms: the thirty guesses below would otherwise wait ~20 s for it.
    server = await startTestServer({
      INSTRUCTOR_PASSWORD: PASSWORD,
      TRUST_PROXY: 'loopback',
      INSTRUCTOR_SLOWDOWN_MS: '1',
    });
  }, 120_000);
  afterAll(() => server?.close());

  const signIn = async (address: string, password: string, device?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-forwarded-for': address };
    if (device) headers.cookie = device;
    const res = await fetch(`${server.url}/api/instructor/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ password }),
    });
    const deviceCookie = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('ipl_instructor_device='))
      ?.split(';')[0];
    return { status: res.status, deviceCookie, body: (await res.json()) as { error?: { message?: string } } };
  };

  it('ten wrong passwords make that address wait, not the owner’s browser there, nor other addresses', async () => {
    // The owner signed in on this browser before: it carries a device token.
    const first = await signIn('198.51.100.7', PASSWORD);
    expect(first.status).toBe(200);
    const device = first.deviceCookie ?? expect.fail('no device cookie');

    // Strangers behind the same address guess.
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await signIn('198.51.100.7', `guess-${i}`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    const refused = await signIn('198.51.100.7', PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body.error?.message).toMatch(/Too many wrong passwords from here; try again in \d+ s/);

    // The owner's browser, at the very same address, still gets in; so does anyone elsewhere.
    expect((await signIn('198.51.100.7', PASSWORD, device)).status).toBe(200);
    expect((await signIn('203.0.113.20', PASSWORD)).status).toBe(200);
  }, 60_000);

  it('guesses from many addresses slow the account down but never lock it', async () => {
    for (let a = 1; a <= 3; a++)
      for (let i = 0; i < 10; i++) expect((await signIn(`192.0.2.${a}`, `spray-${i}`)).status).toBe(401);
    // Thirty wrong passwords in all: a new address is slowed down, never refused.
    expect((await signIn('192.0.2.99', PASSWORD)).status).toBe(200);
  }, 120_000);
});
