/** Read-only views of this lab's machines that several steps share. */
import type { CheckContext } from '../../labkit/types';
import { chapterAddrs } from '../shared/chapterTopology';

export { CHAIN, RULES_FILE, liveRules, runningChain } from '../shared/machine1Firewall';

/** This session's addresses under the names the instructions use. */
export const addrs = chapterAddrs;

export interface FileOnMachine {
  exists: boolean;
  text: string;
  /** Octal permission bits, e.g. "600". */
  mode: string;
}

/** A regular file's text and mode, read without running anything on the machine. */
export async function readFile(ctx: CheckContext, machineId: string, path: string): Promise<FileOnMachine> {
  const f = await ctx.readFile(machineId, path);
  if (!f) return { exists: false, text: '', mode: '' };
  return { exists: true, mode: f.mode.toString(8), text: f.data.toString('utf8') };
}

export const FIREWALL_DOWN =
  'The firewall on Machine 1 is not running (no RH-Firewall-1-INPUT chain ending in REJECT is loaded). ' +
  'Stopping the whole firewall is not the same as changing one rule: run `service iptables restart` on Machine 1 and check that it prints [  OK  ].';

/** Does `iptables-restore --test` (the host's) accept the file? Parses only; nothing is applied. */
export async function restoreTest(ctx: CheckContext, path: string): Promise<{ ok: boolean; error: string }> {
  const file = await readFile(ctx, 'machine1', path);
  if (!file.exists) return { ok: false, error: `${path} is missing` };
  const r = await ctx.netnsExec('machine1', ['iptables-nft-restore', '--test'], { stdin: file.text });
  return { ok: r.exitCode === 0, error: (r.stderr + r.stdout).trim() };
}

/** One human number for a 0-based rule index, as `iptables -L --line-numbers` shows it. */
export const ruleNo = (index: number): number => index + 1;
