/**
 * The lab format. A lab is a TypeScript module exporting a LabModule: a topology and ordered
 * steps, each with instructions, hints, a checker and a solve. See README "Writing a lab".
 */
import type { ExecOptions, ExecResult, LabDeployment } from './deployment';
import type { LabJournal } from './journal';
import type { MachineFile } from './machineFile';
import type { ParameterSpec } from './parameters';
import type { Topology } from './topology';

/** What instructions may mention: this session's real addresses. */
export interface LabView {
  /** The machine's IPv4 address on a network, e.g. address('machine1', 'lan') -> "10.1.2.1". */
  address(machineId: string, networkId: string): string;
  /** The network's subnet, e.g. subnet('lan') -> "10.1.2.0/24". */
  subnet(networkId: string): string;
  /** This learner's value of one of the lab's `parameters`, e.g. param('agentPort') -> "7412". */
  param(name: string): string;
}

/** What a host program printed in a machine's network namespace; `trusted` is false when it ran inside the machine instead. */
export interface HostExecResult extends ExecResult {
  trusted: boolean;
}

export interface CheckResult {
  passed: boolean;
  /** Specific and actionable: what is wrong, where, and what to do next. */
  message: string;
  /**
   * The check could not find out (a probe got no answer in time): not a verdict on the learner's
   * work, so it is shown but never stored as an attempt.
   */
  inconclusive?: boolean;
}

/** The learner's terminals: what they printed, and a way to type into them (solves only). */
export interface LearnerTerminals {
  /** Raw output of the machine's terminal (escape sequences and shell markers included). */
  transcript(machineId: string): string;
  /** Sends keystrokes, exactly as if the learner typed them ("\r" is Enter, "\x03" is Ctrl+C). */
  type(machineId: string, text: string): Promise<void>;
}

/** Everything a checker may use. Checkers read; they never change the machines. */
export interface CheckContext {
  deployment: LabDeployment;
  view: LabView;
  /**
   * Runs a bash script *inside* a machine, with the learner's programs. A checker must not believe
   * what it prints: use it only for solves, setup and harmless chores; read with the two below.
   */
  sh(machineId: string, script: string, timeoutMs?: number): Promise<ExecResult>;
  /**
   * Runs one of the server host's programs in the machine's network namespace: the host's own
   * `iptables-nft-save -c`, `ping`, `nc`, `curl` see the machine's firewall and interfaces, and no
   * program the learner replaced runs. `trusted` is false only on a server away from the Docker host.
   */
  netnsExec(machineId: string, command: string[], options?: ExecOptions): Promise<HostExecResult>;
  /** Reads a regular file from the machine without running anything inside it (Docker's archive API); undefined if there is none. */
  readFile(machineId: string, path: string): Promise<MachineFile | undefined>;
  terminals: LearnerTerminals;
  /** The learner's answers to this step's questions, by question id. */
  answers: Readonly<Record<string, string>>;
  /**
   * What the host recorded of this lab session (packets on its bridges, rulesets, files, checks).
   * Undefined where the server keeps no journal (in-memory runtimes): checkers then fall back.
   */
  journal?: LabJournal;
}

export interface SolveContext extends CheckContext {
  /** Types a command line into the machine's terminal and presses Enter. */
  typeLine(machineId: string, line: string): Promise<void>;
  /** Types a command line and waits until bash reports it finished; resolves with its output and exit code. */
  run(machineId: string, line: string, timeoutMs?: number): Promise<{ output: string; exitCode: number | undefined }>;
  /** Waits until the terminal's (plain-text) transcript matches, after `since` characters. */
  waitFor(machineId: string, pattern: RegExp, options?: { timeoutMs?: number; since?: number }): Promise<void>;
  /** Plain-text length of a terminal's transcript now, for `waitFor(..., { since })`. */
  mark(machineId: string): number;
  /** Records an answer to one of the step's questions, as the learner would in the page. */
  answer(questionId: string, value: string): void;
}

export interface StepQuestion {
  id: string;
  /** Markdown. */
  prompt: string;
}

/**
 * 'latch': once passed, the step stays passed (evidence of something done or observed).
 * 'current': the step shows the result of its latest check (a state that must still hold).
 */
export type Latching = 'latch' | 'current';

export interface LabStep {
  id: string;
  title: string;
  /** Markdown, in the lab's own words, using this session's addresses. */
  instructions(view: LabView): string;
  /** Revealed one at a time on request. Markdown. */
  hints: (view: LabView) => string[];
  latching: Latching;
  questions?: StepQuestion[];
  check(ctx: CheckContext): Promise<CheckResult>;
  /**
   * Machines whose connection lists (the journal's `connectionList` events) this step's check
   * reads. The journal takes a machine's connection list from the host only if some step names it.
   */
  connectionLists?: readonly string[];
  /** What a learner would type; used by `npm run lab:test` and the tests. */
  solve(ctx: SolveContext): Promise<void>;
}

/** A machine whose firewall the page's Firewall view shows, and how that lab's distribution keeps it. */
export interface FirewallSpec {
  machineId: string;
  /** Where the machine's saved rules live, e.g. the file `service … start` loads. */
  rulesFile: string;
  /** The init service that loads the rules file, for "service <name> restart" wording, e.g. "iptables". */
  service: string;
}

export interface LabModule {
  id: string;
  title: string;
  summary: string;
  topology: Topology;
  intro(view: LabView): string;
  /** Prepares fresh machines (e.g. installs exercise files). Idempotent. */
  setup?(ctx: CheckContext): Promise<void>;
  /** Files the journal hashes whenever it reads a machine (machine id -> absolute paths). */
  journalFiles?: Readonly<Record<string, readonly string[]>>;
  steps: LabStep[];
  /** The machines whose firewall the Firewall view shows (empty: the lab has no Firewall view). */
  firewalls: FirewallSpec[];
  /** Values drawn per learner (stable across resets and wakes); text names them {{param.<name>}}. */
  parameters?: Readonly<Record<string, ParameterSpec>>;
}

/** The machines whose connection lists some step of the lab reads, each once. */
export function connectionListMachines(lab: LabModule): string[] {
  return [...new Set(lab.steps.flatMap((s) => s.connectionLists ?? []))];
}

export const pass = (message: string): CheckResult => ({ passed: true, message });
export const fail = (message: string): CheckResult => ({ passed: false, message });
export const inconclusive = (message: string): CheckResult => ({ passed: false, message, inconclusive: true });
