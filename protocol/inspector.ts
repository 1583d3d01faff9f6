/**
 * Messages of the Firewall inspector's WebSocket, shared by the server and the page.
 * Every frame is one JSON object with a `type`.
 */

/** How often counters are read while someone looks. */
export const REFRESH_MS = 1000;
/** A trace never runs longer than this, nor past this many packets. */
export const TRACE_MAX_SECONDS = 60;
export const TRACE_MAX_PACKETS = 50;

export interface RuleView {
  /** 1-based position in its chain, as `iptables -L --line-numbers` counts. */
  number: number;
  /** The rule as iptables-save prints it, without the counters. */
  text: string;
  /** Plain words: "accept TCP to port 22, new connections". */
  readable: string;
  /** The user chain this rule jumps to, when it does. */
  jump?: string;
  packets: number;
  bytes: number;
  /** Line of the rules file this rule came from, when one matches. */
  fileLine?: number;
}

export interface ChainView {
  name: string;
  /** ACCEPT/DROP for built-in chains, '-' for user chains. */
  policy: string;
  builtin: boolean;
  packets: number;
  bytes: number;
  rules: RuleView[];
}

export interface FileProblem {
  line: number;
  message: string;
  severity: 'error' | 'warning';
}

export interface FileView {
  path: string;
  /** Absent when the file does not exist, or is too large to show. */
  text?: string;
  /** The file exists but is larger than the server reads: it is neither shown nor compared. */
  tooLarge?: { limitBytes: number };
  /** What the rule model finds wrong in the file. */
  problems: FileProblem[];
  /** iptables-restore --test's own complaint, when it refuses the file. */
  restoreError?: { line?: number; message: string };
  /** Line numbers of file rules that no running rule came from. */
  notRunning: number[];
  /** Commented-out lines whose rule is still running (until the next restart). */
  commentedButRunning: number[];
}

export interface FirewallSnapshot {
  machineId: string;
  at: number;
  chains: ChainView[];
  file: FileView;
  /** True when the running filter table is what the file would load. */
  inSync: boolean;
  /**
   * When not in sync, which side moved: the file was edited after the last start, the running
   * rules were changed by commands since, or the firewall is not started (stopped, or a failed start).
   */
  changed?: 'file' | 'running' | 'stopped';
  /** Short differences between file and running rules, when not in sync. */
  differences: string[];
}

export type Protocol = 'tcp' | 'udp' | 'icmp';

export interface WhatIfQuery {
  /** A machine id of this lab, or an IPv4 address. */
  from: string;
  /** One of the inspected machine's addresses. */
  to: string;
  protocol: Protocol;
  port?: number;
  state: 'NEW' | 'ESTABLISHED';
}

export interface PathStep {
  chain: string;
  number: number;
  text: string;
  fileLine?: number;
  /** 'passed' rules did not match (see reason); the others matched and did this. */
  effect: 'passed' | 'jump' | 'goto' | 'return' | 'continue' | 'verdict';
  reason?: string;
}

export interface WhatIfAnswer {
  /** Running rules or the file on disk. */
  source: 'running' | 'file';
  verdict: string;
  byPolicy: boolean;
  chain: string;
  deciding?: { chain: string; number: number; text: string; fileLine?: number };
  rejectWith?: string;
  path: PathStep[];
  notes: string[];
  /** A one-line summary in plain words. */
  summary: string;
}

export interface TraceFilter {
  /** A machine id or IPv4 address; absent = any source. */
  from?: string;
  protocol?: Protocol;
  port?: number;
  packets: number;
}

export interface TraceHop {
  chain: string;
  /** Absent when the chain's policy decided. */
  number?: number;
  text?: string;
  /** The rule in plain words, as the running rules show it. */
  readable?: string;
  fileLine?: number;
  /** ACCEPT, DROP, REJECT, JUMP, RETURN, CONTINUE, or the policy verdict. */
  verdict: string;
  policy?: boolean;
}

export interface TracedPacket {
  id: string;
  /** "ICMP 10.1.1.2 → 10.1.1.1 (echo-request)". */
  summary: string;
  inInterface?: string;
  hops: TraceHop[];
  /** The last verdict of the filter table. */
  verdict?: string;
  /** What happened to it, in one sentence: "Rejected by rule 8 of INPUT (line 17 of the rules file), which says …". */
  fate: string;
}

export type TraceState = 'running' | 'finished';

export type ClientMessage =
  | { type: 'whatIf'; id: number; query: WhatIfQuery }
  | { type: 'traceStart'; filter: TraceFilter }
  | { type: 'traceStop' };

export interface LabMachineView {
  id: string;
  label: string;
  addresses: Record<string, string>;
}

/** The machine whose firewall the view shows, as its lab declares it. */
export interface FirewallView {
  machineId: string;
  label: string;
  rulesFile: string;
  /** The init service that loads the rules file ("service <name> restart"). */
  service: string;
}

export type ServerMessage =
  /** First, and again after a reset: the lab's machines, for the forms, and the firewall shown. */
  | { type: 'lab'; machines: LabMachineView[]; firewall: FirewallView }
  | { type: 'snapshot'; data: FirewallSnapshot }
  | { type: 'unavailable'; message: string }
  | { type: 'whatIf'; id: number; answers: WhatIfAnswer[]; error?: string }
  | { type: 'trace'; state: TraceState; description: string; packets: TracedPacket[]; reason?: string }
  | { type: 'error'; message: string };
