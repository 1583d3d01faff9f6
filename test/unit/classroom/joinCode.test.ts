import { describe, expect, it } from 'vitest';
import { JOIN_ALPHABET, JOIN_CODE_LENGTH, joinCodeSchema, newJoinCode } from '../../../server/classroom/joinCode';

describe('join codes', () => {
  it('are at least 6 symbols from an alphabet of at least 30 without look-alikes', () => {
    expect(JOIN_CODE_LENGTH).toBeGreaterThanOrEqual(6);
    expect(new Set(JOIN_ALPHABET).size).toBeGreaterThanOrEqual(30);
    expect(JOIN_ALPHABET).not.toMatch(/[01OI]/);
  });

  it('are random: 2000 codes have no repeats and use the whole alphabet', () => {
    const codes = Array.from({ length: 2000 }, newJoinCode);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(codes.join('')).size).toBe(JOIN_ALPHABET.length);
    for (const code of codes) expect(joinCodeSchema.safeParse(code).success).toBe(true);
  });

  it('accept what people type: lower case, spaces and dashes', () => {
    expect(joinCodeSchema.parse(' abcd-efgh ')).toBe('ABCDEFGH');
  });

  it('reject wrong lengths, look-alikes and junk', () => {
    for (const bad of ['ABCDEFG', 'ABCDEFGHJ', 'ABCDEFG0', 'ABCDEFGI', '../../etc', '', 'x'.repeat(100)]) {
      expect(joinCodeSchema.safeParse(bad).success).toBe(false);
    }
  });
});
