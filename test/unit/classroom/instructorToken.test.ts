import { afterAll, describe, expect, it } from 'vitest';
import { INSTRUCTOR_SESSION_MS, instructorTokens } from '../../../server/classroom/instructorToken';
import { Store } from '../../../server/store/Store';

describe('instructor session tokens', () => {
  const store = Store.open(':memory:');
  const tokens = instructorTokens('s'.repeat(32), store.instructorSessions);
  afterAll(() => store.close());

  it('verify what they issued, until they expire', () => {
    const token = tokens.issue(1000);
    expect(tokens.verify(token, 2000)).toBe(true);
    expect(tokens.verify(token, 1000 + INSTRUCTOR_SESSION_MS + 1)).toBe(false);
  });

  it('reject made-up, altered and foreign tokens, and keep only hashes', () => {
    const token = tokens.issue(1000);
    expect(tokens.verify(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, 2000)).toBe(false);
    const other = Store.open(':memory:');
    expect(tokens.verify(instructorTokens('s'.repeat(32), other.instructorSessions).issue(1000), 2000)).toBe(false);
    other.close();
    expect(tokens.verify('garbage', 2000)).toBe(false);
    expect(tokens.verify(undefined, 2000)).toBe(false);
    expect(JSON.stringify(store.db.prepare('SELECT * FROM instructor_sessions').all())).not.toContain(token);
  });

  it('end one session on revoke, and every one on revokeAll', () => {
    const a = tokens.issue(1000);
    const b = tokens.issue(1000);
    tokens.revoke(a);
    expect(tokens.verify(a, 2000)).toBe(false);
    expect(tokens.verify(b, 2000)).toBe(true);
    tokens.revokeAll();
    expect(tokens.verify(b, 2000)).toBe(false);
  });

  it('bind a CSRF token to one session', () => {
    const a = tokens.issue(1000);
    const b = tokens.issue(1000);
    expect(tokens.csrfMatches(a, tokens.csrfFor(a))).toBe(true);
    expect(tokens.csrfMatches(a, tokens.csrfFor(b))).toBe(false);
    expect(tokens.csrfMatches(a, undefined)).toBe(false);
  });
});
