import { describe, expect, it } from 'vitest';
import { INSTRUCTOR_SESSION_MS, instructorTokens } from '../../../server/classroom/instructorToken';

describe('instructor session tokens', () => {
  let generation = 'hash-1';
  const tokens = instructorTokens('s'.repeat(32), () => generation);

  it('verify what they issued, until they expire', () => {
    const token = tokens.issue(1000);
    expect(tokens.verify(token, 2000)).toBe(true);
    expect(tokens.verify(token, 1000 + INSTRUCTOR_SESSION_MS + 1)).toBe(false);
  });

  it('reject forged, altered and foreign tokens', () => {
    const token = tokens.issue(1000);
    const [issued, nonce, mac] = token.split('.');
    expect(tokens.verify(`${Number(issued) + 1}.${nonce}.${mac}`, 2000)).toBe(false);
    expect(tokens.verify(instructorTokens('other'.repeat(8), () => generation).issue(1000), 2000)).toBe(false);
    expect(tokens.verify('garbage', 2000)).toBe(false);
    expect(tokens.verify(undefined, 2000)).toBe(false);
  });

  it('are all revoked when the password changes', () => {
    const token = tokens.issue(1000);
    generation = 'hash-2';
    expect(tokens.verify(token, 2000)).toBe(false);
    generation = 'hash-1';
  });

  it('bind a CSRF token to one session', () => {
    const a = tokens.issue(1000);
    const b = tokens.issue(1000);
    expect(tokens.csrfMatches(a, tokens.csrfFor(a))).toBe(true);
    expect(tokens.csrfMatches(a, tokens.csrfFor(b))).toBe(false);
    expect(tokens.csrfMatches(a, undefined)).toBe(false);
  });
});
