/**
 * Tells the journal the moment a machine's netfilter rules start to change: the host runs
 * `nft monitor` in the machine's network namespace (its own binary, nothing from inside), and
 * the first line after a quiet spell is a change's start, such as a firewall restart's flush.
 * The kernel announces rule changes per namespace only, so this is one process per watched
 * machine, run like every host read (through the runtime's host spawner, off the server's loop);
 * it dies with the server however the server dies (the parent-death signals of the spawner and of
 * what it runs), and stops when the lab sleeps or ends.
 */
import { hostNetns } from '../runtime/capabilities';
import { errorMessage } from '../log/errorMessage';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import type { Log } from '../log/Log';

/** Lines closer together than this are one change (a restart's flush, policies and restore). */
const QUIET_MS = 400;
/** netnsExec's timeout: as long as a timer can wait; the lab's end stops it first. */
const FOREVER_MS = 2 ** 31 - 1;

export interface RulesetChange {
  /** The first line of a change: the rules as they were just before it are the baseline. */
  began(machineId: string, at: number): void;
  /** The last line of a change was QUIET_MS ago: the rules are what the change left. */
  settled(machineId: string): void;
}

export class RulesetMonitor {
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly runtime: LabRuntime,
    private readonly log: Log,
  ) {}

  watch(sessionId: string, deployment: LabDeployment, machineIds: readonly string[], on: RulesetChange): void {
    this.stop(sessionId);
    if (machineIds.length === 0) return;
    const stop = new AbortController();
    this.running.set(sessionId, stop);
    for (const machineId of machineIds) {
      let quiet: NodeJS.Timeout | undefined;
      const onStdout = (): void => {
        if (quiet) clearTimeout(quiet);
        else on.began(machineId, Date.now());
        quiet = setTimeout(() => {
          quiet = undefined;
          on.settled(machineId);
        }, QUIET_MS);
      };
      hostNetns(this.runtime)
        .netnsExec(deployment, machineId, ['nft', 'monitor'], {
          onStdout,
          signal: stop.signal,
          timeoutMs: FOREVER_MS,
        })
        .then((r) => {
          if (!stop.signal.aborted)
            this.log(`journal: rule monitor of ${sessionId}/${machineId} ended (${r.exitCode}): ${r.stderr.trim()}`);
        })
        .catch((error: unknown) => {
          this.log(`journal: no rule monitor for ${sessionId}/${machineId}: ${errorMessage(error)}`);
        })
        .finally(() => clearTimeout(quiet));
    }
  }

  stop(sessionId: string): void {
    this.running.get(sessionId)?.abort();
    this.running.delete(sessionId);
  }

  close(): void {
    for (const id of [...this.running.keys()]) this.stop(id);
  }
}
