/** What the journal reads from the host: a machine's bridge ports, its running ruleset, a file's hash. */
import { hostNetns } from '../runtime/capabilities';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import { sha256Hex } from '../store/sha256';
import { HostInterfaceNames } from './hostInterfaceNames';

const hostInterfaces = new HostInterfaceNames();

export interface MachinePort {
  machineId: string;
  ifindex: number;
  name: string;
}

/**
 * The host ends of a machine's veth pairs: `ip -o link` run by the host in the machine's namespace
 * names each interface's peer (`eth0@if57`), which the host knows by index.
 */
export async function machinePorts(runtime: LabRuntime, deployment: LabDeployment): Promise<MachinePort[]> {
  const peers = await Promise.all(
    deployment.machines.map(async (m) => {
      const r = await hostNetns(runtime).netnsExec(deployment, m.id, ['ip', '-o', 'link', 'show'], {
        timeoutMs: 10_000,
      });
      return [...r.stdout.matchAll(/^\d+: [^@:\s]+@if(\d+):/gm)].map((match) => ({
        machineId: m.id,
        ifindex: Number(match[1]),
      }));
    }),
  );
  const host = await hostInterfaces.find(new Set(peers.flat().map((p) => p.ifindex)));
  return peers.flat().flatMap((p) => {
    const name = host.get(p.ifindex);
    return name ? [{ ...p, name }] : [];
  });
}

export interface RulesetSnapshot {
  rules: string;
  hash: string;
  /** Hash of the rule handles: a reload gives new handles even for the same rules. */
  generation: string;
  firewall: 'running' | 'stopped';
}

const SEPARATOR = '@@journal@@';

/** The machine's filter table, read by the host's iptables-nft-save and nft in its namespace. */
export async function rulesetSnapshot(
  runtime: LabRuntime,
  deployment: LabDeployment,
  machineId: string,
): Promise<RulesetSnapshot> {
  const script = `iptables-nft-save -t filter; echo ${SEPARATOR}; nft -a list table ip filter 2>/dev/null || true`;
  const r = await hostNetns(runtime).netnsExec(deployment, machineId, ['sh', '-c', script], { timeoutMs: 15_000 });
  if (r.exitCode !== 0) throw new Error(`iptables-nft-save failed on ${machineId}: ${r.stderr.trim()}`);
  const [save = '', nft = ''] = r.stdout.split(SEPARATOR);
  // Comments and the dump's own timestamps change on every read; the rules are what matter.
  const rules = save
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/ \[\d+:\d+\]$/, ''))
    .join('\n');
  const handles = [...nft.matchAll(/# handle (\d+)/g)].map((m) => m[1]).join(',');
  const running = /^-A /m.test(rules) || /^:\S+ (DROP|REJECT)/m.test(rules);
  return { rules, hash: sha256Hex(rules), generation: sha256Hex(handles), firewall: running ? 'running' : 'stopped' };
}

/** Largest file whose text the journal keeps (rules files and scans are a few KiB). */
export const MAX_FILE_TEXT = 64 * 1024;

export async function fileSnapshot(
  runtime: LabRuntime,
  deployment: LabDeployment,
  machineId: string,
  path: string,
): Promise<{ hash: string | undefined; text: string | undefined; modifiedAt?: number }> {
  const f = await runtime.readFile(deployment, machineId, path).catch(() => undefined);
  if (!f) return { hash: undefined, text: undefined };
  const text = f.data.toString('utf8');
  return { hash: sha256Hex(text), text: f.data.length <= MAX_FILE_TEXT ? text : undefined, modifiedAt: f.modifiedAt };
}
