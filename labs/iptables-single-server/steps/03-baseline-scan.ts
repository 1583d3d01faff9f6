import { stepText } from '../../../labkit/content';
import { fail, pass, type LabStep } from '../../../labkit/types';
import { addrs } from '../machines';
import { listPorts } from '../nmapFile';
import { findNmapFile } from '../nmapFind';
import { CHAPTER_PORTS } from '../ports';
import { scanEvidence, unfilteredScanMismatch } from '../scanEvidence';
import { targetAddresses } from '../journalScan';

/** Latches: the scan file is the evidence; the firewall is started again in the next step. */
export const baselineScan: LabStep = {
  id: 'baseline-scan',
  ...stepText(new URL('./03-baseline-scan.md', import.meta.url)),
  latching: 'latch',
  async check(ctx) {
    const a = addrs(ctx.view);
    const scan = await findNmapFile(ctx, 'machine2', 'first-scan.txt');
    if (!scan) return fail(`Machine 2 has no \`first-scan.txt\` yet. Run \`nmap ${a.m1} > first-scan.txt\` there.`);
    if (!scan.complete) {
      return fail(
        `\`${scan.path}\` is not a complete nmap run (nmap's start line and its "Nmap done … 1 IP address (1 host up)" line are missing). Run the scan again and let it finish.`,
      );
    }
    // A scan made before a wake moved the lab named Machine 1's address of then.
    const targetAddrs = ctx.journal
      ? await targetAddresses(ctx.journal, 'machine1', [a.m1, a.m1Office])
      : [a.m1, a.m1Office];
    if (scan.target === undefined || !targetAddrs.includes(scan.target))
      return fail(`\`${scan.path}\` scanned ${scan.target ?? 'something else'}, not Machine 1 (${a.m1}).`);
    const missing = CHAPTER_PORTS.filter((p) => !scan.open.includes(p));
    if (missing.length > 0) {
      const filtered = scan.open.length <= 2;
      return fail(
        `\`${scan.path}\` lists only ${listPorts(scan.open)} as open; ${listPorts(missing)} are missing.` +
          (filtered
            ? ' The firewall was still running: stop it with `service iptables stop` on Machine 1 and scan again.'
            : ' Scan again with the firewall stopped.'),
      );
    }
    const parties = {
      scanner: 'machine2',
      scannerName: 'Machine 2',
      target: 'machine1',
      targetName: 'Machine 1',
      targetAddrs,
    };
    const seen = await scanEvidence(ctx, { file: scan, parties, summed: 'closed', covers: CHAPTER_PORTS }, () =>
      unfilteredScanMismatch(ctx, scan, parties),
    );
    if ('problem' in seen) return fail(seen.problem);
    return pass(
      `\`${scan.path}\` is real nmap output listing all 12 services: ${listPorts(scan.open)} (${seen.evidence}).`,
    );
  },
  async solve(ctx) {
    await ctx.sh('machine1', 'service iptables stop');
    await ctx.sh('machine2', `cd /root && nmap ${addrs(ctx.view).m1} > first-scan.txt`);
  },
};
