import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
/** What only a lab may know: its machines' names and its distribution's file layout. */
const LAB_LITERALS = ['machine1', '/etc/sysconfig'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist' || name === 'labs') return [];
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|css|html)$/.test(name) ? [full] : [];
  });
}

describe('the server and the page know no lab', () => {
  it.each(['server', 'web/src'])('no file under %s names a lab machine or rules file', (dir) => {
    const files = sources(path.join(ROOT, dir));
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return LAB_LITERALS.filter((literal) => text.includes(literal)).map(
        (literal) => `${path.relative(ROOT, file)}: ${literal}`,
      );
    });
    expect(found).toEqual([]);
  });
});
