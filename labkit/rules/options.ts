/**
 * Option table: long/short spellings, arity and which match/target module provides each option.
 * Resolution mimics getopt_long: exact name first, then a unique prefix (`--dp` → `--dport`).
 */

export interface OptionSpec {
  /** Canonical long name without dashes. */
  name: string;
  /** All accepted long spellings. */
  long: readonly string[];
  short?: string;
  /** Number of required arguments. */
  args: 0 | 1 | 2;
  negatable: boolean;
  /** 'core', 'command', a match module name, or 'target:NAME'. */
  module: string;
}

function spec(
  module: string,
  long: string[],
  args: 0 | 1 | 2,
  { negatable = false, short }: { negatable?: boolean; short?: string } = {},
): OptionSpec {
  const [name = ''] = long;
  return short === undefined ? { name, long, args, negatable, module } : { name, long, args, negatable, module, short };
}

/** Commands; their chain/number arguments are handled by the parser. */
export const COMMAND_OPTIONS: readonly OptionSpec[] = [
  spec('command', ['append'], 1, { short: 'A' }),
  spec('command', ['insert'], 1, { short: 'I' }),
  spec('command', ['delete'], 1, { short: 'D' }),
  spec('command', ['replace'], 1, { short: 'R' }),
  spec('command', ['check'], 1, { short: 'C' }),
  spec('command', ['list'], 0, { short: 'L' }),
  spec('command', ['list-rules'], 0, { short: 'S' }),
  spec('command', ['flush'], 0, { short: 'F' }),
  spec('command', ['zero'], 0, { short: 'Z' }),
  spec('command', ['new-chain'], 1, { short: 'N' }),
  spec('command', ['delete-chain'], 0, { short: 'X' }),
  spec('command', ['policy'], 2, { short: 'P' }),
  spec('command', ['rename-chain'], 2, { short: 'E' }),
  spec('command', ['table'], 1, { short: 't' }),
  spec('command', ['numeric'], 0, { short: 'n' }),
  spec('command', ['verbose'], 0, { short: 'v' }),
  spec('command', ['line-numbers'], 0),
  spec('command', ['exact'], 0, { short: 'x' }),
  spec('command', ['wait'], 0, { short: 'w' }),
  spec('command', ['ipv4'], 0, { short: '4' }),
  spec('command', ['ipv6'], 0, { short: '6' }),
  spec('command', ['modprobe'], 1),
];

export const CORE_OPTIONS: readonly OptionSpec[] = [
  spec('core', ['protocol'], 1, { negatable: true, short: 'p' }),
  spec('core', ['source', 'src'], 1, { negatable: true, short: 's' }),
  spec('core', ['destination', 'dst'], 1, { negatable: true, short: 'd' }),
  spec('core', ['in-interface'], 1, { negatable: true, short: 'i' }),
  spec('core', ['out-interface'], 1, { negatable: true, short: 'o' }),
  spec('core', ['jump'], 1, { short: 'j' }),
  spec('core', ['goto'], 1, { short: 'g' }),
  spec('core', ['match'], 1, { short: 'm' }),
  spec('core', ['fragment'], 0, { negatable: true, short: 'f' }),
  spec('core', ['set-counters'], 2, { short: 'c' }),
];

const PORTS = (m: string): OptionSpec[] => [
  spec(m, ['dport', 'destination-port'], 1, { negatable: true }),
  spec(m, ['sport', 'source-port'], 1, { negatable: true }),
];

/** Options of the match and target modules this model understands. */
export const MODULE_OPTIONS: Readonly<Record<string, readonly OptionSpec[]>> = {
  tcp: [
    ...PORTS('tcp'),
    spec('tcp', ['syn'], 0, { negatable: true }),
    spec('tcp', ['tcp-flags'], 2, { negatable: true }),
    spec('tcp', ['tcp-option'], 1, { negatable: true }),
  ],
  udp: PORTS('udp'),
  sctp: PORTS('sctp'),
  udplite: PORTS('udplite'),
  dccp: PORTS('dccp'),
  icmp: [spec('icmp', ['icmp-type'], 1, { negatable: true })],
  state: [spec('state', ['state'], 1, { negatable: true })],
  conntrack: [spec('conntrack', ['ctstate'], 1, { negatable: true })],
  multiport: [
    spec('multiport', ['dports', 'destination-ports'], 1, { negatable: true }),
    spec('multiport', ['sports', 'source-ports'], 1, { negatable: true }),
    spec('multiport', ['ports'], 1, { negatable: true }),
  ],
  comment: [spec('comment', ['comment'], 1)],
  'target:REJECT': [spec('target:REJECT', ['reject-with'], 1)],
  'target:LOG': [
    spec('target:LOG', ['log-prefix'], 1),
    spec('target:LOG', ['log-level'], 1),
    spec('target:LOG', ['log-tcp-sequence'], 0),
    spec('target:LOG', ['log-tcp-options'], 0),
    spec('target:LOG', ['log-ip-options'], 0),
    spec('target:LOG', ['log-uid'], 0),
  ],
};

/** Every option we know, for "did you mean" and single-dash detection. */
export const ALL_OPTIONS: readonly OptionSpec[] = [
  ...COMMAND_OPTIONS,
  ...CORE_OPTIONS,
  ...Object.values(MODULE_OPTIONS).flat(),
];

export const ALL_LONG_NAMES: readonly string[] = [...new Set(ALL_OPTIONS.flatMap((o) => o.long))];

export type Resolution =
  | { kind: 'found'; spec: OptionSpec; abbreviated: boolean }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'unknown' };

export function resolveLong(name: string, available: readonly OptionSpec[]): Resolution {
  const exact = available.find((o) => o.long.includes(name));
  if (exact) return { kind: 'found', spec: exact, abbreviated: false };
  if (name.length === 0) return { kind: 'unknown' };
  const hits = available.filter((o) => o.long.some((l) => l.startsWith(name)));
  const distinct = [...new Set(hits.map((h) => h.name))];
  const first = hits[0];
  if (distinct.length === 1 && first) return { kind: 'found', spec: first, abbreviated: true };
  if (distinct.length > 1) return { kind: 'ambiguous', candidates: distinct };
  return { kind: 'unknown' };
}

export function resolveShort(letter: string, available: readonly OptionSpec[]): OptionSpec | undefined {
  return available.find((o) => o.short === letter);
}

/** Modules that provide an option named `name` (exact long spelling). */
export function modulesProviding(name: string): string[] {
  return Object.entries(MODULE_OPTIONS)
    .filter(([, opts]) => opts.some((o) => o.long.includes(name)))
    .map(([m]) => m);
}
