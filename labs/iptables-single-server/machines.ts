/** Read-only views of this lab's machines that several steps share. */
import { getChain, indexOfFinalReject, parseRulesFile, type ChainModel, type RulesetModel } from '../../labkit/rules';
import type { CheckContext, LabView } from '../../labkit/types';

export const CHAIN = 'RH-Firewall-1-INPUT';
export const RULES_FILE = '/etc/sysconfig/iptables';

/** This session's addresses under the names the instructions use. */
export function addrs(view: LabView) {
  return {
    m1: view.address('machine1', 'lan'),
    m1Office: view.address('machine1', 'office'),
    m2: view.address('machine2', 'lan'),
    pc: view.address('office-pc', 'office'),
    lan: view.subnet('lan'),
    office: view.subnet('office'),
  };
}

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

/**
 * The filter table Machine 1 is running now, with counters, read by the host's own iptables in
 * Machine 1's network namespace. The image uses the nf_tables backend (its Dockerfile checks it),
 * so this names the nft variant: a legacy host binary would see empty tables.
 */
export async function liveRules(ctx: CheckContext): Promise<RulesetModel> {
  const r = await ctx.netnsExec('machine1', ['iptables-nft-save', '-c', '-t', 'filter']);
  if (r.exitCode !== 0) throw new Error(`iptables-save failed on Machine 1: ${r.stderr.trim()}`);
  return parseRulesFile(r.stdout);
}

/** The firewall's own chain with a catch-all REJECT: otherwise the firewall is stopped or broken. */
export function runningChain(live: RulesetModel): ChainModel | undefined {
  const chain = getChain(live, CHAIN);
  return chain && indexOfFinalReject(chain) >= 0 ? chain : undefined;
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
