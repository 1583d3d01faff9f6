import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The learner's identity: `<learnerId>.<hmac>`, httpOnly, SameSite=Strict. */
export const LEARNER_COOKIE = 'ipl_learner';
const LEARNER_ID = /^[a-z0-9-]{6,64}$/;

export interface LearnerCookies {
  sign(learnerId: string): string;
  /** The learner id, or undefined when the value is missing, malformed or forged. */
  verify(value: string | undefined): string | undefined;
}

export function learnerCookies(secret: string): LearnerCookies {
  const mac = (id: string): string => createHmac('sha256', secret).update(`learner:${id}`).digest('base64url');
  return {
    sign(learnerId) {
      if (!LEARNER_ID.test(learnerId)) throw new Error('invalid learner id');
      return `${learnerId}.${mac(learnerId)}`;
    },
    verify(value) {
      if (!value) return undefined;
      const dot = value.lastIndexOf('.');
      if (dot <= 0) return undefined;
      const id = value.slice(0, dot);
      if (!LEARNER_ID.test(id)) return undefined;
      const given = Buffer.from(value.slice(dot + 1));
      const expected = Buffer.from(mac(id));
      return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
    },
  };
}

export function newGuestId(): string {
  return `guest-${randomBytes(9).toString('hex')}`;
}

/** Reads one cookie from a raw Cookie header (WebSocket upgrades have no cookie-parser). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
