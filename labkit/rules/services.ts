/** Port parsing: service names (`http` ≡ 80), ranges (`1:1024`, `1024:`), multiport lists. */

const SERVICES: Readonly<Record<string, number>> = {
  ftp: 21,
  'ftp-data': 20,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  domain: 53,
  dns: 53,
  tftp: 69,
  gopher: 70,
  finger: 79,
  http: 80,
  www: 80,
  'www-http': 80,
  kerberos: 88,
  pop3: 110,
  sunrpc: 111,
  auth: 113,
  ident: 113,
  nntp: 119,
  ntp: 123,
  'netbios-ns': 137,
  'netbios-dgm': 138,
  'netbios-ssn': 139,
  imap: 143,
  imap2: 143,
  snmp: 161,
  'snmp-trap': 162,
  bgp: 179,
  irc: 194,
  ldap: 389,
  https: 443,
  'microsoft-ds': 445,
  submission: 587,
  syslog: 514,
  shell: 514,
  printer: 515,
  ldaps: 636,
  rsync: 873,
  ftps: 990,
  imaps: 993,
  pop3s: 995,
  openvpn: 1194,
  mysql: 3306,
  postgresql: 5432,
  'http-alt': 8080,
  webcache: 8080,
  x11: 6000,
  squid: 3128,
  nfs: 2049,
  'ms-sql-s': 1433,
  smtps: 465,
  echo: 7,
  discard: 9,
  daytime: 13,
  chargen: 19,
  bootps: 67,
  bootpc: 68,
  ipp: 631,
  rdp: 3389,
  'ms-wbt-server': 3389,
};

/** Port number for a number or service name, or undefined. */
export function portNumber(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    return n <= 65535 ? n : undefined;
  }
  return SERVICES[t];
}

export interface PortRange {
  from: number;
  to: number;
}

/** Parses "80", "http", "1:1024", "1024:", ":1024". Returns undefined when invalid. */
export function parsePortRange(text: string): PortRange | undefined {
  const parts = text.split(':');
  if (parts.length === 1) {
    const p = portNumber(text);
    return p === undefined ? undefined : { from: p, to: p };
  }
  if (parts.length !== 2) return undefined;
  const [a = '', b = ''] = parts;
  const from = a === '' ? 0 : portNumber(a);
  const to = b === '' ? 65535 : portNumber(b);
  if (from === undefined || to === undefined) return undefined;
  // iptables swaps reversed ranges silently (with a warning); we do the same.
  return from <= to ? { from, to } : { from: to, to: from };
}

export function formatPortRange(r: PortRange): string {
  return r.from === r.to ? String(r.from) : `${r.from}:${r.to}`;
}

/**
 * Parses a comma-separated port list into canonical sorted, deduplicated strings.
 * Returns the offending item when one is invalid.
 */
export function parsePortList(text: string): { ports: string[] } | { bad: string } {
  const ranges: PortRange[] = [];
  for (const item of text.split(',')) {
    const r = parsePortRange(item);
    if (!r) return { bad: item };
    ranges.push(r);
  }
  ranges.sort((x, y) => x.from - y.from || x.to - y.to);
  const ports = [...new Set(ranges.map(formatPortRange))];
  return { ports };
}

/** Whether `port` falls in any canonical port spec ("80", "1:1024"). */
export function portInSpecs(port: number, specs: readonly string[]): boolean {
  return specs.some((s) => {
    const r = parsePortRange(s);
    return r !== undefined && port >= r.from && port <= r.to;
  });
}
