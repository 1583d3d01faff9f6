import { describe, expect, it } from 'vitest';
import { displayNameSchema } from '../../../server/classroom/displayName';

describe('display names', () => {
  it('are trimmed and keep markup as plain text (escaped where shown)', () => {
    expect(displayNameSchema.parse('  <img src=x onerror=alert(1)>  ')).toBe('<img src=x onerror=alert(1)>');
  });

  it('reject empty, overlong and control-character names', () => {
    for (const bad of ['   ', 'x'.repeat(41), 'a\u0000b', 'evil\u202Eexe'])
      expect(displayNameSchema.safeParse(bad).success).toBe(false);
  });
});
