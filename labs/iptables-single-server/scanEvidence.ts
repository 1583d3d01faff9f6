/**
 * Did the kernel see the scan a file reports? A scan file is only text: edited with sed it still
 * looks like nmap. The machines' own counters (which only grow) must show the traffic such a scan
 * makes: the target answering each "closed" port with a TCP reset, the scanner receiving them.
 */
import type { CheckContext } from '../../labkit/types';
import { judgeScanFile, type ScanClaim, type ScanParties } from './journalScan';
import { counter, listeningPorts, snmpCounters } from './kernelCounters';
import { listPorts, type NmapFile } from './nmapFile';

/** Allows for probes nmap counts but the kernel merged, or the other way round. */
const SLACK = 0.9;

export type ScanEvidence = { evidence: string } | { problem: string };

/**
 * Where the host keeps a journal, a scan file must match, port by port, a scan the host saw cross
 * the bridge (the kernel counters restart with a machine, so a sleep would void them). Without a
 * journal, the machines' counters must account for the file.
 */
export async function scanEvidence(
  ctx: CheckContext,
  claim: ScanClaim,
  /** Without a journal: what the machines' counters cannot account for, if anything. */
  counters: () => Promise<string | undefined>,
): Promise<ScanEvidence> {
  if (ctx.journal) {
    const listening = await listeningPorts(ctx, claim.parties.target);
    const judged = await judgeScanFile(ctx.journal, claim, listening);
    return judged.ok ? { evidence: judged.evidence } : { problem: judged.problem };
  }
  const problem = await counters();
  return problem ? { problem } : { evidence: "the machines' kernel counters account for it" };
}

/**
 * For a scan made with the target's firewall stopped: every port it calls closed got a reset
 * from the target, and every port it calls open has a listener there. Undefined when the kernel
 * agrees, else what does not add up.
 */
export async function unfilteredScanMismatch(
  ctx: CheckContext,
  scan: NmapFile,
  { scanner, target, targetName }: Pick<ScanParties, 'scanner' | 'target' | 'targetName'>,
): Promise<string | undefined> {
  const [t, s, listening] = await Promise.all([
    snmpCounters(ctx, target),
    snmpCounters(ctx, scanner),
    listeningPorts(ctx, target),
  ]);
  const notListening = scan.open.filter((p) => !listening.includes(p));
  if (notListening.length > 0) {
    return `\`${scan.path}\` reports port(s) ${listPorts(notListening)} open, but nothing on ${targetName} listens there. The file must be nmap's own output, unedited: scan again.`;
  }
  const resets = counter(t, 'Tcp', 'OutRsts');
  const received = counter(s, 'Tcp', 'InSegs');
  const closed = scan.notShown.closed;
  if (resets < closed * SLACK || received < (closed + scan.open.length) * SLACK) {
    return (
      `\`${scan.path}\` says ${closed} ports answered "closed", but ${targetName}'s kernel has sent only ${resets} TCP resets since it started` +
      (received < (closed + scan.open.length) * SLACK
        ? ` and this machine has received only ${received} TCP segments`
        : '') +
      ": no scan with the firewall stopped produced this file. Stop the firewall and scan again, keeping nmap's output as it is."
    );
  }
  return undefined;
}

/**
 * For a scan made through the running firewall: every port it calls filtered was turned away by
 * the REJECT rule, whose counter (since the firewall last started) must have counted them.
 */
export function filteredScanMismatch(scan: NmapFile, rejectCount: number, where: string): string | undefined {
  const filtered = scan.notShown.filtered;
  if (rejectCount >= filtered * SLACK) return undefined;
  return (
    `\`${scan.path}\` on ${where} says ${filtered} ports were filtered, but Machine 1's REJECT rule has counted only ${rejectCount} packets since the firewall last started. ` +
    "Scan again now (after any restart of iptables) and keep nmap's output as it is."
  );
}
