/**
 * Reads a learner's list of ports: numbers as separate words ("110", "110/tcp", "110,143") and
 * the service names nmap prints for them ("pop3", "https"). A digit inside a word, like the 3 of
 * "pop3", is part of that name, not a port.
 */

/** nmap's names (from its services file) for the ports Machine 1 listens on, plus everyday ones. */
const SERVICE_PORTS: Readonly<Record<string, number>> = {
  ftp: 21,
  ssh: 22,
  smtp: 25,
  domain: 53,
  dns: 53,
  finger: 79,
  http: 80,
  www: 80,
  pop3: 110,
  imap: 143,
  https: 443,
  printer: 515,
  lpd: 515,
  imaps: 993,
  pop3s: 995,
};

export interface PortAnswer {
  ports: number[];
  /** Words that look like neither a port nor a known service (e.g. "pop4"). */
  unknown: string[];
}

const IGNORED = new Set([
  'tcp',
  'udp',
  'port',
  'ports',
  'and',
  'or',
  'open',
  'closed',
  'filtered',
  'the',
  'are',
  'is',
  'were',
  'now',
  'no',
  'longer',
]);

export function parsePortAnswer(text: string | undefined): PortAnswer {
  const ports = new Set<number>();
  const unknown: string[] = [];
  for (const word of (text ?? '').toLowerCase().split(/[^a-z0-9-]+/)) {
    if (!word) continue;
    if (/^\d+$/.test(word)) {
      const n = Number(word);
      if (n >= 1 && n <= 65535) ports.add(n);
      else unknown.push(word);
      continue;
    }
    const range = /^(\d+)-(\d+)$/.exec(word);
    const service = SERVICE_PORTS[word];
    if (service !== undefined) ports.add(service);
    else if (range) unknown.push(word);
    else if (!IGNORED.has(word)) unknown.push(word);
  }
  return { ports: [...ports].sort((a, b) => a - b), unknown };
}
