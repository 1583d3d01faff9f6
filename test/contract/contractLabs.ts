import type { LabDeployment, LabRuntime, RuntimeEvent, TerminalStream } from '../../server/runtime/LabRuntime';
import type { MachineSpec, NetworkSpec, Topology } from '../../labkit/topology';

/**
 * A runtime under the contract, whatever runs the machines (Docker, memory here; Kubernetes
 * later, see docs/scaling.md). Two labs of `topology` serve every assertion, so a real runtime
 * runs it quickly.
 */
export interface RuntimeUnderTest {
  /** A runtime in a namespace of its own, so the suite never sees anyone else's labs. */
  runtime: LabRuntime;
  /** A second runtime object on the same namespace: what a restarted server constructs. */
  again: () => LabRuntime;
  topology: Topology;
  /** The address a machine gets on a network: the runtime's addressing plan. */
  expectedAddress: (deployment: LabDeployment, machineId: string, networkId: string) => string;
  newSessionId: () => string;
  /** Whether this runtime, here, can run host programs in a machine's namespace (netnsExec). */
  hostAccess: boolean;
  /**
   * Whether its machines are Linux machines that run programs (Docker, Kubernetes): then the
   * contract also checks what they do inside. An in-memory runtime's machines are records.
   */
  realMachines: boolean;
  /** Puts a file on a machine as a program inside it would write one. */
  putFile: (
    deployment: LabDeployment,
    machineId: string,
    file: { path: string; text: string; mode: number },
  ) => Promise<void>;
  /** Stops a machine behind the runtime's back, as a crash or an operator would. */
  stopBehindBack: (deployment: LabDeployment, machineId: string) => Promise<void>;
}

/**
 * The two labs the contract's steps share, in order: a step that sleeps, wakes or resets a lab
 * leaves the new instance here for the next one.
 */
export class ContractLabs {
  readonly runtime: LabRuntime;
  readonly topology: Topology;
  /** A network with two machines on it, to prove reachability inside a lab against isolation across. */
  readonly shared: NetworkSpec;
  readonly from: MachineSpec;
  readonly to: MachineSpec;
  a!: LabDeployment;
  b!: LabDeployment;
  /** Everything the runtime reported while the contract ran (watch). */
  readonly events: RuntimeEvent[] = [];

  constructor(readonly t: RuntimeUnderTest) {
    this.runtime = t.runtime;
    this.topology = t.topology;
    const on = (n: NetworkSpec): MachineSpec[] =>
      t.topology.machines.filter((m) => m.nics.some((nic) => nic.network === n.id));
    const shared = t.topology.networks.find((n) => on(n).length >= 2);
    const [from, to] = shared ? on(shared) : [];
    if (!shared || !from || !to) throw new Error('the contract needs a topology with two machines on one network');
    this.shared = shared;
    this.from = from;
    this.to = to;
  }

  /** A machine's address on a network, as the lab says. */
  readonly addr = (deployment: LabDeployment, machineId: string, networkId: string): string =>
    deployment.machines.find((m) => m.id === machineId)?.addresses[networkId] ?? '';
}

export const bash = (script: string): string[] => ['bash', '-c', script];

/** Resolves once `condition` holds, checked every 100 ms; rejects with `what` after `timeoutMs`. */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`still not true after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What a command gives on a machine: its exit code, or 'refused' when the runtime will not run it. */
export function outcome(
  runtime: LabRuntime,
  deployment: LabDeployment,
  machineId: string,
): Promise<number | 'refused'> {
  return runtime.exec(deployment, machineId, ['true'], { timeoutMs: 10_000 }).then(
    (r) => r.exitCode,
    () => 'refused' as const,
  );
}

/** Resolves once the terminal's output matches, or rejects with what it did show. */
export function until(stream: TerminalStream, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${String(pattern)} in ${JSON.stringify(text.slice(-300))}`));
    }, timeoutMs);
    const off = stream.onData((chunk) => {
      text += chunk.toString('utf8');
      if (!pattern.test(text)) return;
      clearTimeout(timer);
      off();
      resolve(text);
    });
  });
}

/** Opens a terminal on the machine and resolves once its shell has worked out 6×7. */
export async function terminalAnswers(
  runtime: LabRuntime,
  deployment: LabDeployment,
  machineId: string,
): Promise<void> {
  const term = await runtime.openTerminal(deployment, machineId, { cols: 80, rows: 24 });
  try {
    term.write('echo $((6*7))\r');
    await until(term, /42/);
  } finally {
    term.close();
  }
}
