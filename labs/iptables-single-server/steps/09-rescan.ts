import { stepText } from '../../../labkit/content';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { listPorts, type NmapFile } from '../nmapFile';
import { findNmapFile } from '../nmapFind';
import { CHAPTER_PORTS } from '../ports';
import { addrs, CHAIN, liveRules } from '../machines';
import { parsePortAnswer } from '../portAnswer';
import { filteredScanMismatch, scanEvidence } from '../scanEvidence';
import { targetAddresses } from '../journalScan';
import { getChain, indexOfFinalReject } from '../../../labkit/rules';

const sameSet = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Latches: the files and the answer are the evidence; step 10 opens 443 afterwards. */
export const rescan: LabStep = {
  id: 'rescan',
  ...stepText(new URL('./09-rescan.md', import.meta.url)),
  latching: 'latch',
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
    const scanners: Record<string, string> = { 'office-pc': 'office-pc', 'Machine 2': 'machine2' };
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
    const [scan, , where] = good;
    const parties = {
      scanner: scanners[where] ?? 'office-pc',
      scannerName: where,
      target: 'machine1',
      targetName: 'Machine 1',
      // A scan made before a wake moved the lab went to Machine 1's address of then.
      targetAddrs: ctx.journal
        ? await targetAddresses(ctx.journal, 'machine1', [a.m1, a.m1Office])
        : [a.m1, a.m1Office],
    };
    const seen = await scanEvidence(
      ctx,
      { file: scan, parties, summed: 'filtered', covers: CHAPTER_PORTS },
      async () => {
        const live = getChain(await liveRules(ctx), CHAIN);
        const rejected = live?.rules[indexOfFinalReject(live)]?.counters?.packets ?? 0;
        return filteredScanMismatch(scan, rejected, where);
      },
    );
    if ('problem' in seen) return fail(seen.problem);
    const closed = CHAPTER_PORTS.filter(
      (p) => (first?.open ?? [...CHAPTER_PORTS]).includes(p) && !scan.open.includes(p),
    );
    const answer = parsePortAnswer(ctx.answers.closed);
    if (answer.ports.length === 0)
      return fail('Your scan is right. Now answer the question below: which ports are no longer open?');
    if (answer.unknown.length > 0) {
      return fail(
        `I cannot read ${answer.unknown.map((w) => `"${w}"`).join(', ')} as a port. List port numbers (like \`110\` or \`110/tcp\`) or nmap's service names (like \`pop3\`).`,
      );
    }
    const missing = closed.filter((p) => !answer.ports.includes(p));
    const stillOpen = answer.ports.filter((p) => scan.open.includes(p));
    const neverOpen = answer.ports.filter((p) => !closed.includes(p) && !scan.open.includes(p));
    if (stillOpen.length > 0)
      return fail(
        `Your answer lists ${listPorts(stillOpen)}, which \`${scan.path}\` still shows open. List only ports that are open in the first scan and not in the second.`,
      );
    if (neverOpen.length > 0)
      return fail(`Your answer lists ${listPorts(neverOpen)}, which was not open in the first scan either.`);
    if (missing.length > 0)
      return fail(
        `Your answer misses ${missing.length} port(s) that the second scan no longer shows. Compare the two files line by line.`,
      );
    return pass(
      `From ${where}, only ${listPorts(scan.open)} remain open; ${listPorts(closed)} are now hidden behind the firewall (${seen.evidence}).`,
    );
  },
  async solve(ctx) {
    await ctx.sh('office-pc', `cd /root && nmap ${addrs(ctx.view).m1Office} > second-scan.txt`);
    ctx.answer('closed', CHAPTER_PORTS.filter((p) => p !== 22 && p !== 80).join(', '));
  },
};
