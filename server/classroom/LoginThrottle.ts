import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A browser where the instructor signed in before: its sign-ins never share strangers' bucket. */
export const DEVICE_COOKIE = 'ipl_instructor_device';
export const DEVICE_COOKIE_MS = 365 * 24 * 3600 * 1000;

export interface LoginLimits {
  /** Wrong passwords per account and client before that client waits. */
  perClient: number;
  clientWindowMs: number;
  /** Wrong passwords per account, from anywhere, before each check is slowed down (never refused). */
  slowAfter: number;
  accountWindowMs: number;
  /** The slow-down per failure past `slowAfter`, and its ceiling. */
  stepMs: number;
  maxDelayMs: number;
}

const DEFAULTS: LoginLimits = {
  perClient: 10,
  clientWindowMs: 120_000,
  slowAfter: 20,
  accountWindowMs: 600_000,
  stepMs: 100,
  maxDelayMs: 2_000,
};
/** The slow-down per failure (INSTRUCTOR_SLOWDOWN_MS) and its ceiling, twenty steps of it, as the defaults are. */
export function slowdown(stepMs: number): Pick<LoginLimits, 'stepMs' | 'maxDelayMs'> {
  return { stepMs, maxDelayMs: 20 * stepMs };
}

/** Clients remembered at most; the oldest go first, so a flood of addresses cannot grow memory. */
const MAX_CLIENTS = 10_000;

/**
 * Instructor password guesses, limited without letting a stranger lock the owner out
 * (OWASP's "device cookie" scheme):
 * - per account and client, where the client is the browser's device token once the instructor
 *   signed in there, and its address otherwise: `perClient` wrong passwords, then that client
 *   alone waits out the window. Strangers behind the owner's address (a NAT, a proxy without
 *   TRUST_PROXY) fill their own bucket, not the owner's browser's.
 * - per account from everywhere: past `slowAfter` wrong passwords each check waits a little
 *   longer (up to `maxDelayMs`), which slows a distributed guesser down but refuses nobody.
 * In memory: a restart forgets, which only ever helps the legitimate user.
 */
export class LoginThrottle {
  private readonly limits: LoginLimits;
  private readonly clients = new Map<string, number[]>();
  private readonly accounts = new Map<string, number[]>();

  constructor(
    private readonly secret: string,
    limits: Partial<LoginLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULTS, ...limits };
  }

  /** A fresh device token for a browser that just signed in. */
  newDevice(): string {
    const id = randomBytes(12).toString('base64url');
    return `${id}.${this.mac(id)}`;
  }

  /** Who is guessing: the device when its token is genuine, else the address. */
  clientKey(address: string | undefined, device: string | undefined): string {
    const dot = device?.lastIndexOf('.') ?? -1;
    if (device && dot > 0) {
      const id = device.slice(0, dot);
      const given = Buffer.from(device.slice(dot + 1));
      const expected = Buffer.from(this.mac(id));
      if (given.length === expected.length && timingSafeEqual(given, expected)) return `device ${id}`;
    }
    return `address ${address ?? 'unknown'}`;
  }

  /** Milliseconds this client must wait before its next guess at the account; 0: go ahead. */
  retryAfterMs(account: string, client: string): number {
    const recent = this.recent(this.clients, `${account} ${client}`, this.limits.clientWindowMs);
    if (recent.length < this.limits.perClient) return 0;
    return Math.max(1, (recent[0] ?? 0) + this.limits.clientWindowMs - this.now());
  }

  /** How long to hold a check of the account's password, given its recent failures from everywhere. */
  delayMs(account: string): number {
    const failures = this.recent(this.accounts, account, this.limits.accountWindowMs).length;
    return Math.min(this.limits.maxDelayMs, Math.max(0, failures - this.limits.slowAfter) * this.limits.stepMs);
  }

  failed(account: string, client: string): void {
    const at = this.now();
    this.remember(this.clients, `${account} ${client}`, at);
    this.remember(this.accounts, account, at);
  }

  /** The right password: this client's bucket is emptied (the account's slow-down stays). */
  succeeded(account: string, client: string): void {
    this.clients.delete(`${account} ${client}`);
  }

  private recent(map: Map<string, number[]>, key: string, windowMs: number): number[] {
    const since = this.now() - windowMs;
    const kept = (map.get(key) ?? []).filter((at) => at > since);
    if (kept.length === 0) map.delete(key);
    else map.set(key, kept);
    return kept;
  }

  private remember(map: Map<string, number[]>, key: string, at: number): void {
    const list = map.get(key) ?? [];
    map.delete(key);
    map.set(key, [...list.slice(-2 * this.limits.slowAfter), at]);
    while (map.size > MAX_CLIENTS) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  }

  private mac(id: string): string {
    return createHmac('sha256', this.secret).update(`instructor-device:${id}`).digest('base64url');
  }
}
