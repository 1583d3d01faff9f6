/**
 * Reads what nmap writes, in each of its formats: what it prints (and `>` saves), `-oN` normal
 * output, `-oG` grepable output and `-oX` XML (`-oA` writes all three).
 */

export type NmapFormat = 'normal' | 'grepable' | 'xml';

export interface NmapFile {
  path: string;
  text: string;
  format: NmapFormat;
  /** Ports reported "open", ascending. */
  open: number[];
  /** The scanned address, if the file names one. */
  target: string | undefined;
  /** nmap's own start and end lines are there, for one host that was up. */
  complete: boolean;
  /** Ports nmap summed up instead of listing ("Not shown: 988 closed tcp ports"), by state. */
  notShown: { closed: number; filtered: number };
}

const sortedUnique = (ports: number[]): number[] => [...new Set(ports)].sort((a, b) => a - b);
const IP = String.raw`(\d{1,3}(?:\.\d{1,3}){3})`;

function parseNormal(text: string): Omit<NmapFile, 'path' | 'text'> {
  const open = sortedUnique([...text.matchAll(/^(\d+)\/tcp\s+open\b/gm)].map((m) => Number(m[1])));
  const report = new RegExp(`^Nmap scan report for (?:\\S+ \\(${IP}\\)|${IP})`, 'm').exec(text);
  const started = /^Starting Nmap /m.test(text) || /^# Nmap \S+ scan initiated /m.test(text);
  const done =
    /^Nmap done: 1 IP address \(1 host up\)/m.test(text) ||
    /^# Nmap done at .* -- 1 IP address \(1 host up\)/m.test(text);
  const notShown = { closed: 0, filtered: 0 };
  // "Not shown: 988 closed tcp ports (reset)", or "Not shown: 990 filtered tcp ports (host-prohibited), 8 closed tcp ports (reset)".
  for (const m of text.matchAll(/(\d+) (closed|filtered)(?: tcp)? ports/g))
    notShown[m[2] as 'closed' | 'filtered'] += Number(m[1]);
  return { format: 'normal', open, target: report?.[1] ?? report?.[2], complete: started && done, notShown };
}

function parseGrepable(text: string): Omit<NmapFile, 'path' | 'text'> {
  const host = new RegExp(`^Host: ${IP}.*\\tPorts: (.*)$`, 'm').exec(text);
  const entries = (host?.[2] ?? '').split('\t')[0]?.split(/,\s*/) ?? [];
  const open = sortedUnique(
    entries
      .map((e) => /^(\d+)\/open\/tcp\//.exec(e.trim()))
      .filter((m) => m !== null)
      .map((m) => Number(m[1])),
  );
  const notShown = { closed: 0, filtered: 0 };
  for (const m of (host?.[2] ?? '').matchAll(/Ignored State: (closed|filtered) \((\d+)\)/g))
    notShown[m[1] as 'closed' | 'filtered'] += Number(m[2]);
  const complete =
    /^# Nmap \S+ scan initiated /m.test(text) && /^# Nmap done at .* -- 1 IP address \(1 host up\)/m.test(text);
  return { format: 'grepable', open, target: host?.[1], complete, notShown };
}

function parseXml(text: string): Omit<NmapFile, 'path' | 'text'> {
  const open = sortedUnique(
    [...text.matchAll(/<port protocol="tcp" portid="(\d+)"><state state="open"/g)].map((m) => Number(m[1])),
  );
  const target = new RegExp(`<address addr="${IP}" addrtype="ipv4"`).exec(text)?.[1];
  const notShown = { closed: 0, filtered: 0 };
  for (const m of text.matchAll(/<extraports state="(closed|filtered)" count="(\d+)"/g))
    notShown[m[1] as 'closed' | 'filtered'] += Number(m[2]);
  const complete = /<nmaprun /.test(text) && /<finished [^>]*exit="success"/.test(text) && /<hosts up="1"/.test(text);
  return { format: 'xml', open, target, complete, notShown };
}

export function parseNmap(path: string, text: string): NmapFile {
  const parsed = /^<\?xml|<nmaprun /m.test(text)
    ? parseXml(text)
    : /^Host: .*\t(Status|Ports):/m.test(text)
      ? parseGrepable(text)
      : parseNormal(text);
  return { path, text, ...parsed };
}

export const listPorts = (ports: readonly number[]): string => (ports.length ? ports.join(', ') : 'none');
