import { describe, expect, it } from 'vitest';
import { toCsv } from '../../../server/classroom/csv';

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(toCsv([['a,b', 'say "hi"', 'two\nlines', 'plain']])).toBe('"a,b","say ""hi""","two\nlines",plain\r\n');
  });

  it('defuses spreadsheet formulas in learner-controlled cells', () => {
    expect(toCsv([['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'ok=1']])).toBe(
      `"'=HYPERLINK(""x"")",'+1,'-2,'@SUM(A1),ok=1\r\n`,
    );
  });
});
