/**
 * A scan file compared port by port with the scans the host saw cross the lab's bridge. The file
 * is only text; the journal's packets entered by the scanner's own bridge port and were answered
 * by the target's kernel, and they outlive a sleep, a wake or a restart of either machine.
 */
import type { LabJournal } from '../../labkit/journal';
import { clock, lastScan, type ScanPath, type ScanSeen } from '../../labkit/journalEvidence';
import { listPorts, type NmapFile } from './nmapFile';

/**
 * The journal may miss packets on a loaded host (the kernel drops log messages nobody read in
 * time), so counts are only asked to reach half of what the file reports: a forged file is told
 * apart by which answers the target gave, not by their exact number.
 */
const SLACK = 0.5;
/** How many earlier scans are compared before giving up (a learner may have scanned since). */
const SCANS_LOOKED_AT = 20;

export interface ScanParties extends ScanPath {
  scannerName: string;
  targetName: string;
}

/** What a scan file claims: who scanned whom, and the answer it sums the unlisted ports up as. */
export interface ScanClaim {
  file: NmapFile;
  parties: ScanParties;
  summed: 'closed' | 'filtered';
  /** Ports the step needs scanned (the chapter's services): the scan must have probed at least half of them. */
  covers?: readonly number[];
}

export type ScanJudgement = { ok: true; evidence: string } | { ok: false; problem: string };

type Fit = (seen: ScanSeen) => string | undefined;

/**
 * The file's open ports answered SYN-ACK in that scan (or, should the journal have missed the
 * answer, listen on the target now: never a port the host saw answer closed or rejected then);
 * no port that answered open is left out; and the ports the file sums up got the answer it
 * names: resets for "closed", rejections or silence for "filtered".
 */
function fitsFile(
  scan: NmapFile,
  summed: 'closed' | 'filtered',
  listening: readonly number[],
  covers: readonly number[],
): Fit {
  return (seen) => {
    // A file typed by hand can name ports no scan probed: a connection or two (nc, or a
    // check's own probes) is no scan of what the file accounts for.
    const accounted = scan.open.length + scan.notShown.closed + scan.notShown.filtered;
    if (seen.probed.size < accounted * SLACK)
      return `accounts for ${accounted} ports, but that scan probed only ${seen.probed.size} port${seen.probed.size === 1 ? '' : 's'}`;
    const covered = covers.filter((p) => seen.probed.has(p));
    if (covered.length < covers.length * SLACK)
      return `should come from a scan of the ${covers.length} services (${listPorts(covers)}), but that scan probed only ${covered.length} of the ${covers.length} ports`;
    const answerMissed = (p: number): boolean => !seen.closed.has(p) && !seen.rejected.has(p) && listening.includes(p);
    const notSeen = scan.open.filter((p) => !seen.open.has(p) && !answerMissed(p));
    if (notSeen.length > 0)
      return `reports ${listPorts(notSeen)} open, but the target never accepted a connection there`;
    const left = [...seen.open].filter((p) => !scan.open.includes(p)).sort((a, b) => a - b);
    if (left.length > 0) return `leaves out ${listPorts(left)}, which the target answered as open`;
    const wanted = scan.notShown[summed];
    const named = summed === 'closed' ? seen.closed.size : seen.rejected.size;
    const other = summed === 'closed' ? seen.rejected.size : seen.closed.size;
    if (named + unanswered(seen) < wanted * SLACK || other > named)
      return `says ${wanted} ports were ${summed}, but in that scan ${named} were ${summed === 'closed' ? 'answered with a reset' : 'rejected'} and ${other} ${summed === 'closed' ? 'rejected' : 'answered with a reset'}`;
    return undefined;
  };
}

const unanswered = (seen: ScanSeen): number =>
  [...seen.probed].filter((p) => !seen.open.has(p) && !seen.closed.has(p) && !seen.rejected.has(p)).length;

/**
 * A machine's addresses now, and every one the host saw it send from: a wake may move a lab to
 * other addresses, and a scan made before it named the old ones. Only packets that entered by
 * the machine's own bridge port count, so no other machine can add an address.
 */
export async function targetAddresses(
  journal: LabJournal,
  machineId: string,
  current: readonly string[],
): Promise<string[]> {
  const seen = (await journal.events('packet')).filter((p) => p.from === machineId).map((p) => p.src);
  return [...new Set([...current, ...seen])];
}

/** The most recent scan the host saw that produced what the file reports, or what is wrong with the latest one. */
export async function judgeScanFile(
  journal: LabJournal,
  { file: scan, parties, summed, covers = [] }: ScanClaim,
  listening: readonly number[],
): Promise<ScanJudgement> {
  const packets = await journal.events('packet');
  const fit = fitsFile(scan, summed, listening, covers);
  let before = Number.POSITIVE_INFINITY;
  let firstProblem: string | undefined;
  for (let i = 0; i < SCANS_LOOKED_AT; i++) {
    const seen = lastScan(packets, parties, before);
    if (!seen) break;
    const problem = fit(seen);
    if (!problem) {
      return {
        ok: true,
        evidence: `the host saw ${parties.scannerName}'s scan at ${clock(seen.startedAt)}: ${seen.probed.size} ports probed, ${listPorts([...seen.open].sort((a, b) => a - b))} answered open`,
      };
    }
    firstProblem ??= `\`${scan.path}\` ${problem} in the scan the host saw at ${clock(seen.startedAt)}`;
    before = seen.startedAt - 1;
  }
  return {
    ok: false,
    problem:
      (firstProblem ?? `The host saw no scan from ${parties.scannerName} to ${parties.targetName}`) +
      `: \`${scan.path}\` must be the output of a scan of this lab, kept as nmap wrote it. Scan again.`,
  };
}
