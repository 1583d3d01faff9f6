import { fail, pass, type LabStep } from '../../../labkit/types';
import { addrs } from '../machines';
import { findNmapFile, listPorts, type NmapFile } from '../nmapFile';
import { CHAPTER_PORTS } from '../ports';

const numbers = (text: string | undefined): number[] =>
  [...new Set([...(text ?? '').matchAll(/\d+/g)].map((m) => Number(m[0])))].sort((a, b) => a - b);
const sameSet = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Latches: the files and the answer are the evidence; step 10 opens 443 afterwards. */
export const rescan: LabStep = {
  id: 'rescan',
  title: 'Scan again and compare',
  latching: 'latch',
  questions: [
    {
      id: 'closed',
      prompt:
        'Which ports were open in `first-scan.txt` but are not open in `second-scan.txt`? (list the port numbers)',
    },
  ],
  instructions: (view) => {
    const a = addrs(view);
    return `Scan Machine 1 once more, now with your firewall in place. The result depends on where you stand, so pick one:

- from **office-pc**: \`nmap ${a.m1Office} > second-scan.txt\`
- from **Machine 2**: \`nmap ${a.m1} > second-scan.txt\`

Compare the two scans (your first one is on Machine 2; \`cat\` both, or copy one over with \`scp\`). The services are all still running on Machine 1; the firewall simply keeps strangers away from them. Answer the question below.`;
  },
  hints: () => [
    'From office-pc, 22 and 80 should be the only open ports; from Machine 2, only 22.',
    'The answer is every port in the first list that is missing from the second list.',
  ],
  async check(ctx) {
    const a = addrs(ctx.view);
    const [onPc, onM2, first] = await Promise.all([
      findNmapFile(ctx, 'office-pc', 'second-scan.txt'),
      findNmapFile(ctx, 'machine2', 'second-scan.txt'),
      findNmapFile(ctx, 'machine2', 'first-scan.txt'),
    ]);
    const candidates: [NmapFile, number[], string][] = [];
    if (onPc) candidates.push([onPc, [22, 80], 'office-pc']);
    if (onM2) candidates.push([onM2, [22], 'Machine 2']);
    if (candidates.length === 0)
      return fail(
        `There is no \`second-scan.txt\` on office-pc or Machine 2 yet. Run \`nmap ${a.m1Office} > second-scan.txt\` on office-pc.`,
      );
    const good = candidates.find(([scan, expected]) => scan.complete && sameSet(scan.open, expected));
    if (!good) {
      const [scan, expected, where] = candidates[0] as [NmapFile, number[], string];
      if (!scan.complete)
        return fail(`\`${scan.path}\` on ${where} is not a complete nmap run; scan again with \`>\`.`);
      return fail(
        `\`${scan.path}\` on ${where} lists ${listPorts(scan.open)} as open; from ${where} only ${listPorts(expected)} should be. Is the firewall from the previous step running?`,
      );
    }
    const closed = CHAPTER_PORTS.filter(
      (p) => (first?.open ?? [...CHAPTER_PORTS]).includes(p) && !good[0].open.includes(p),
    );
    const answer = numbers(ctx.answers.closed);
    if (answer.length === 0)
      return fail('Your scan is right. Now answer the question below: which ports are no longer open?');
    if (!sameSet(answer, closed)) {
      const missing = closed.filter((p) => !answer.includes(p));
      return fail(
        missing.length
          ? `Your answer misses ${missing.length} port(s) that the second scan no longer shows. Compare the two files line by line.`
          : 'Your answer lists port(s) that are still open in the second scan.',
      );
    }
    return pass(
      `From ${good[2]}, only ${listPorts(good[0].open)} remain open; ${listPorts(closed)} are now hidden behind the firewall.`,
    );
  },
  async solve(ctx) {
    await ctx.sh('office-pc', `cd /root && nmap ${addrs(ctx.view).m1Office} > second-scan.txt`);
    ctx.answer('closed', CHAPTER_PORTS.filter((p) => p !== 22 && p !== 80).join(', '));
  },
};
