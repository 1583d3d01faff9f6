/**
 * Data model for parsed iptables rules. Values are stored in canonical form
 * (see parse-rule.ts) so checkers can compare with `===` and ruleKey().
 */

export type Severity = 'error' | 'warning';

/** A problem found while parsing. `line` is 1-based (0 when not from a file). */
export interface Problem {
  line: number;
  severity: Severity;
  code: ProblemCode;
  /** Human-readable, already prefixed with "line N: " when line > 0. */
  message: string;
}

export type ProblemCode =
  | 'missing-commit'
  | 'commit-outside-table'
  | 'rule-outside-table'
  | 'chain-outside-table'
  | 'unknown-table'
  | 'duplicate-table'
  | 'bad-chain-declaration'
  | 'undeclared-chain'
  | 'unknown-target'
  | 'unknown-option'
  | 'ambiguous-option'
  | 'abbreviated-option'
  | 'single-dash-option'
  | 'glued-option'
  | 'value-glued-to-option'
  | 'missing-argument'
  | 'unexpected-argument'
  | 'duplicate-option'
  | 'deprecated-negation'
  | 'double-negation'
  | 'not-negatable'
  | 'match-needs-module'
  | 'unknown-protocol'
  | 'bad-address'
  | 'hostname'
  | 'bad-port'
  | 'unknown-icmp-type'
  | 'bad-state'
  | 'bad-reject-with'
  | 'bad-tcp-flags'
  | 'suspicious-interface'
  | 'single-quotes'
  | 'unterminated-quote'
  | 'missing-chain'
  | 'bad-position'
  | 'missing-command'
  | 'unsupported-command'
  | 'unrecognised-line';

/** Conditions that iptables lets you invert with `!`. */
export type NegatableField =
  | 'protocol'
  | 'source'
  | 'destination'
  | 'inInterface'
  | 'outInterface'
  | 'fragment'
  | 'dport'
  | 'sport'
  | 'ports'
  | 'icmpType'
  | 'state'
  | 'tcpFlags';

export interface TcpFlags {
  /** Flags examined, sorted canonical order (FIN,SYN,RST,PSH,ACK,URG). */
  mask: string[];
  /** Flags that must be set among `mask`. */
  comp: string[];
}

export interface RuleMatches {
  /** Port specs as canonical strings: "80", "1:1024"; sorted, deduplicated. `--dport` and `-m multiport --dports` both land here. */
  dport?: string[];
  sport?: string[];
  /** `-m multiport --ports` (either direction). */
  ports?: string[];
  /** Numeric "type" or "type/code"; absent means any (`any` ≡ 255 ≡ absent). */
  icmpType?: string;
  /** Conntrack states, uppercase, sorted; from `-m state --state` or `-m conntrack --ctstate`. */
  state?: string[];
  tcpFlags?: TcpFlags;
  /** Matches this model does not interpret, e.g. "-m limit --limit 5/min"; sorted. */
  other: string[];
}

export interface Rule {
  chain: string;
  /** Canonical lowercase name ("tcp", "esp", ...) or a number string for unnamed protocols; absent = all. */
  protocol?: string;
  /** Canonical "a.b.c.d/len" (network address); absent = anywhere. */
  source?: string;
  destination?: string;
  inInterface?: string;
  outInterface?: string;
  /** `-f`: only second and later fragments. */
  fragment?: boolean;
  negated: Partial<Record<NegatableField, true>>;
  matches: RuleMatches;
  /** `-j`/`-g` target; absent means the rule only counts packets. */
  target?: string;
  /** True for `-g` (goto) instead of `-j`. */
  goto?: boolean;
  /** Canonical target options keyed by long name without dashes, e.g. { 'reject-with': 'icmp-host-prohibited' }. */
  targetOptions: Record<string, string>;

  // --- metadata: never part of ruleKey() ---
  /** 1-based line in the source file. */
  line?: number;
  /** Original text of the line or command (trimmed). */
  raw?: string;
  counters?: Counters;
  /** `-m comment --comment` text. */
  comment?: string;
  /** False when the rule had errors (iptables would refuse it). */
  valid?: boolean;
}

export interface Counters {
  packets: number;
  bytes: number;
}

export interface ChainModel {
  name: string;
  /** ACCEPT/DROP for built-in chains, '-' for user chains. */
  policy: string;
  builtin: boolean;
  counters?: Counters;
  /** Line of the `:CHAIN` declaration, absent if implied. */
  line?: number;
  rules: Rule[];
}

export interface TableModel {
  name: string;
  line: number;
  hasCommit: boolean;
  /** Chains in declaration order. */
  chains: ChainModel[];
}

export interface CommentedRule {
  line: number;
  text: string;
  rule: Rule;
  /** Problems the rule would have if uncommented. */
  problems: Problem[];
}

export interface RulesetModel {
  tables: TableModel[];
  commentedRules: CommentedRule[];
  problems: Problem[];
  /** True when there are no error-severity problems (iptables-restore would load it). */
  ok: boolean;
}
