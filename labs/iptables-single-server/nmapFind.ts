/** Finds a learner's saved nmap output on a client machine, read without running anything there. */
import type { CheckContext } from '../../labkit/types';
import { parseNmap, type NmapFile } from './nmapFile';

const DIRS = ['/root', '/tmp', '/'];

/**
 * The names nmap may have written for `name`: the name itself (`> name`, `-oN name`), and what
 * `-oA` makes of the name or of its stem (first-scan.nmap / .gnmap / .xml).
 */
export function candidateNames(name: string): string[] {
  const stem = name.replace(/\.[^.]*$/, '');
  const names = [name, ...['nmap', 'gnmap', 'xml'].flatMap((ext) => [`${stem}.${ext}`, `${name}.${ext}`])];
  return [...new Set(names)];
}

/**
 * The learner's file in root's home (or /tmp, or /). A normal-output file wins over grepable or
 * XML ones, since it is the one the instructions ask for.
 */
export async function findNmapFile(ctx: CheckContext, machineId: string, name: string): Promise<NmapFile | undefined> {
  const paths = DIRS.flatMap((dir) => candidateNames(name).map((n) => `${dir === '/' ? '' : dir}/${n}`));
  const files = await Promise.all(
    paths.map(async (path) => {
      try {
        const f = await ctx.readFile(machineId, path);
        return f ? parseNmap(path, f.data.toString('utf8')) : undefined;
      } catch {
        // Too big to be a scan of one host, or not readable: not the learner's scan.
        return undefined;
      }
    }),
  );
  const found = files.filter((f): f is NmapFile => f !== undefined);
  const rank = (f: NmapFile): number =>
    (f.complete ? 0 : 3) + (f.format === 'normal' ? 0 : f.format === 'grepable' ? 1 : 2);
  return found.sort((a, b) => rank(a) - rank(b))[0];
}
