import { fail, pass, type LabStep } from '../../../labkit/types';
import { addrs } from '../machines';
import { listPorts } from '../nmapFile';
import { findNmapFile } from '../nmapFind';
import { CHAPTER_PORTS } from '../ports';
import { unfilteredScanMismatch } from '../scanEvidence';

/** Latches: the scan file is the evidence; the firewall is started again in the next step. */
export const baselineScan: LabStep = {
  id: 'baseline-scan',
  title: 'Take a baseline scan',
  latching: 'latch',
  instructions: (view) => {
    const a = addrs(view);
    return `A port scan made *before* you change the firewall tells you later what your rules achieved. So that the scan sees every service Machine 1 runs, switch its firewall off first. On **Machine 1**:

\`\`\`machine1
service iptables stop
\`\`\`

Then scan Machine 1 from **Machine 2** and keep the result in a file:

\`\`\`machine2
nmap ${a.m1} > first-scan.txt
\`\`\`

Look at it with \`cat first-scan.txt\`. Leave the file where it is (in root's home on Machine 2): you will compare it with a second scan later. The firewall comes back on in the next step.`;
  },
  hints: (view) => [
    'The scan must run while the firewall is **stopped**; otherwise it only finds the ports the firewall lets through.',
    `Use the address \`${addrs(view).m1}\` and \`>\` so nmap's output lands in \`first-scan.txt\`.`,
  ],
  async check(ctx) {
    const a = addrs(ctx.view);
    const scan = await findNmapFile(ctx, 'machine2', 'first-scan.txt');
    if (!scan) return fail(`Machine 2 has no \`first-scan.txt\` yet. Run \`nmap ${a.m1} > first-scan.txt\` there.`);
    if (!scan.complete) {
      return fail(
        `\`${scan.path}\` is not a complete nmap run (nmap's start line and its "Nmap done … 1 IP address (1 host up)" line are missing). Run the scan again and let it finish.`,
      );
    }
    if (scan.target !== a.m1 && scan.target !== a.m1Office)
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
    const mismatch = await unfilteredScanMismatch(ctx, scan, 'machine2', 'machine1', 'Machine 1');
    if (mismatch) return fail(mismatch);
    return pass(`\`${scan.path}\` is real nmap output listing all 12 services: ${listPorts(scan.open)}.`);
  },
  async solve(ctx) {
    await ctx.sh('machine1', 'service iptables stop');
    await ctx.sh('machine2', `cd /root && nmap ${addrs(ctx.view).m1} > first-scan.txt`);
  },
};
