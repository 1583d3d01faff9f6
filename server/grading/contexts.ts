/** Builds the contexts checkers and solves run in, from a runtime, a lab and its terminals. */
import { hostNetns } from '../runtime/capabilities';
import type { LabJournal } from '../../labkit/journal';
import type { LabParameters } from '../../labkit/parameters';
import type { CheckContext, LabView, LearnerTerminals, SolveContext } from '../../labkit/types';
import { HostAccessUnavailable, type ExecOptions, type LabDeployment, type LabRuntime } from '../runtime/LabRuntime';
import { plainText } from '../../labkit/plainText';
import { commandRuns } from '../../labkit/transcript';

export function labView(deployment: LabDeployment, parameters: LabParameters = {}): LabView {
  return {
    param(name) {
      const found = parameters[name];
      if (found === undefined) throw new Error(`the lab has no parameter ${name}`);
      return found;
    },
    address(machineId, networkId) {
      const found = deployment.machines.find((m) => m.id === machineId)?.addresses[networkId];
      if (!found) throw new Error(`${machineId} has no address on ${networkId}`);
      return found;
    },
    subnet(networkId) {
      const found = deployment.networks.find((n) => n.id === networkId)?.subnet;
      if (!found) throw new Error(`no network ${networkId}`);
      return found;
    },
  };
}

/** What a check runs with besides the machines: the learner's terminals, answers, parameters and journal. */
export interface CheckInputs {
  terminals: LearnerTerminals;
  answers?: Record<string, string>;
  parameters?: LabParameters;
  journal?: LabJournal;
}

export function checkContext(
  runtime: LabRuntime,
  deployment: LabDeployment,
  { terminals, answers = {}, parameters = {}, journal }: CheckInputs,
): CheckContext {
  return {
    journal,
    deployment: deployment,
    view: labView(deployment, parameters),
    sh: (machineId, script, timeoutMs = 4_000) =>
      runtime.exec(deployment, machineId, ['bash', '-c', script], { timeoutMs }),
    netnsExec: hostOrFallback(runtime, deployment),
    readFile: (machineId, path) => runtime.readFile(deployment, machineId, path),
    terminals,
    answers,
  };
}

/** The host's program in the machine's namespace; on a server away from the Docker host, the machine's own (untrusted). */
function hostOrFallback(runtime: LabRuntime, deployment: LabDeployment): CheckContext['netnsExec'] {
  return async (machineId, command, given) => {
    const options: ExecOptions = { timeoutMs: 4_000, ...given };
    try {
      return { ...(await hostNetns(runtime).netnsExec(deployment, machineId, command, options)), trusted: true };
    } catch (error) {
      if (!(error instanceof HostAccessUnavailable)) throw error;
      return { ...(await runtime.exec(deployment, machineId, command, options)), trusted: false };
    }
  };
}

export function solveContext(check: CheckContext, answers: Record<string, string>): SolveContext {
  const text = (machineId: string): string => plainText(check.terminals.transcript(machineId));
  return {
    ...check,
    sh: (machineId, script, timeoutMs = 90_000) => check.sh(machineId, script, timeoutMs),
    answers,
    typeLine: (machineId, line) => check.terminals.type(machineId, `${line}\r`),
    mark: (machineId) => text(machineId).length,
    async run(machineId, line, timeoutMs = 60_000) {
      const finished = (): number =>
        commandRuns(check.terminals.transcript(machineId)).filter((r) => r.finished).length;
      const before = finished();
      await check.terminals.type(machineId, `${line}\r`);
      const deadline = Date.now() + timeoutMs;
      while (finished() <= before) {
        if (Date.now() > deadline)
          throw new Error(
            `\`${line}\` did not finish on ${machineId}; its terminal ends with:\n${text(machineId).slice(-600)}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const last = commandRuns(check.terminals.transcript(machineId))
        .filter((r) => r.finished)
        .pop();
      return { output: last?.output ?? '', exitCode: last?.exitCode };
    },
    answer(questionId, value) {
      answers[questionId] = value;
    },
    async waitFor(machineId, pattern, { timeoutMs = 15_000, since = 0 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(text(machineId).slice(since))) {
        if (Date.now() > deadline) {
          throw new Error(
            `${machineId}'s terminal never showed ${String(pattern)}; it ends with:\n${text(machineId).slice(-600)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}
