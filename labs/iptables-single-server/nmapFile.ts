/** Finds and reads a learner's saved nmap output on a client machine. */
import type { CheckContext } from '../../labkit/types';

export interface NmapFile {
  path: string;
  text: string;
  /** Ports reported "open", ascending. */
  open: number[];
  /** The address in "Nmap scan report for ...", if any. */
  target: string | undefined;
  /** Has nmap's own start and end lines, so it is a complete nmap run. */
  complete: boolean;
}

export function parseNmap(path: string, text: string): NmapFile {
  const open = [...text.matchAll(/^(\d+)\/tcp\s+open\b/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
  const report = /^Nmap scan report for (?:\S+ \((\d+\.\d+\.\d+\.\d+)\)|(\d+\.\d+\.\d+\.\d+))/m.exec(text);
  const complete = /^Starting Nmap /m.test(text) && /^Nmap done: 1 IP address \(1 host up\)/m.test(text);
  return { path, text, open, target: report?.[1] ?? report?.[2], complete };
}

/** The learner's file in root's home (or, failing that, anywhere shallow on the machine). */
export async function findNmapFile(ctx: CheckContext, machineId: string, name: string): Promise<NmapFile | undefined> {
  const r = await ctx.sh(
    machineId,
    `f=/root/${name}; [ -f "$f" ] || f=$(find / -xdev -maxdepth 4 -name ${name} -type f 2>/dev/null | head -n 1); [ -n "$f" ] && [ -f "$f" ] || exit 3; echo "$f"; head -c 65536 "$f"`,
  );
  if (r.exitCode !== 0) return undefined;
  const newline = r.stdout.indexOf('\n');
  return parseNmap(r.stdout.slice(0, newline), r.stdout.slice(newline + 1));
}

export const listPorts = (ports: readonly number[]): string => (ports.length ? ports.join(', ') : 'none');
