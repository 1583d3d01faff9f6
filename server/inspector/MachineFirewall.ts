/** Reads a machine's firewall from the host side: running rules, the rules file, whether it loads. */
import { hostNetns } from '../runtime/capabilities';
import type { FirewallSpec } from '../../labkit/types';
import {
  FileTooLarge,
  HostAccessUnavailable,
  type ExecResult,
  type HostExecOptions,
  type LabDeployment,
  type LabRuntime,
  type MachineFile,
} from '../runtime/LabRuntime';
import { firewallState, type FirewallReadings, type FirewallState } from './firewallState';

/**
 * A Red Hat style init script touches this on a successful start and removes it on stop or a
 * failed start. Its /var/lock/subsys is reached through a symlink into /run/lock, and the host
 * follows no symlink inside a machine: the real path, or the service never looks started.
 */
const startLock = (service: string): string => `/run/lock/subsys/${service}`;

export class MachineFirewall {
  /** Once the host path proves impossible, ask the machine itself (display only, never trusted by checkers). */
  private hostAccess = true;
  private lastFileText: string | undefined;
  private lastRestore: { ok: boolean; output: string } | undefined;
  private interfaces: Map<string, string> | undefined;

  constructor(
    private readonly runtime: LabRuntime,
    readonly deployment: LabDeployment,
    readonly spec: FirewallSpec,
  ) {}

  get machineId(): string {
    return this.spec.machineId;
  }

  /** Whether packet tracing (host-only) is possible. */
  get canTrace(): boolean {
    return this.hostAccess;
  }

  async read(): Promise<FirewallState> {
    const [live, file, lock] = await Promise.all([
      this.run(['iptables-save', '-c', '-t', 'filter']),
      this.readRulesFile(),
      this.runtime.readFile(this.deployment, this.machineId, startLock(this.spec.service)),
    ]);
    if (live.exitCode !== 0) throw new Error(`iptables-save failed: ${live.stderr.trim()}`);
    const readings: FirewallReadings = {
      machineId: this.machineId,
      rulesFile: this.spec.rulesFile,
      liveText: live.stdout,
    };
    if (file instanceof FileTooLarge) readings.fileTooLarge = { limitBytes: file.limitBytes };
    else if (file) {
      readings.fileText = file.data.toString('utf8');
      readings.fileModifiedAt = file.modifiedAt;
      readings.restoreTest = await this.restoreTest(readings.fileText);
    }
    if (lock) readings.startedAt = lock.modifiedAt;
    return firewallState(readings);
  }

  /** A rules file too large to read still leaves the running rules to show. */
  private async readRulesFile(): Promise<MachineFile | FileTooLarge | undefined> {
    try {
      return await this.runtime.readFile(this.deployment, this.machineId, this.spec.rulesFile);
    } catch (error) {
      if (error instanceof FileTooLarge) return error;
      throw error;
    }
  }

  /** Interface name by IPv4 address ("10.1.1.1" → "eth0"), read once per machine. */
  async interfaceByAddress(): Promise<Map<string, string>> {
    if (this.interfaces) return this.interfaces;
    const r = await this.run(['ip', '-o', '-4', 'addr', 'show']);
    const map = new Map<string, string>();
    for (const m of r.stdout.matchAll(/^\d+:\s+(\S+)\s+inet\s+([\d.]+)\//gm)) if (m[1] && m[2]) map.set(m[2], m[1]);
    if (r.exitCode === 0) this.interfaces = map;
    return map;
  }

  /** A trusted host program in the machine's network namespace (host access only). */
  hostExec(command: string[], options?: HostExecOptions): Promise<ExecResult> {
    return hostNetns(this.runtime).netnsExec(this.deployment, this.machineId, command, options);
  }

  /** Only re-tested when the file changes: the answer depends on nothing else. */
  private async restoreTest(text: string): Promise<{ ok: boolean; output: string }> {
    if (this.lastRestore && text === this.lastFileText) return this.lastRestore;
    const r = await this.run(['iptables-restore', '--test'], text);
    this.lastFileText = text;
    this.lastRestore = { ok: r.exitCode === 0, output: (r.stderr + r.stdout).trim() };
    return this.lastRestore;
  }

  private async run(command: string[], stdin?: string): Promise<ExecResult> {
    const options = { timeoutMs: 5000, ...(stdin === undefined ? {} : { stdin }) };
    if (this.hostAccess) {
      try {
        return await hostNetns(this.runtime).netnsExec(this.deployment, this.machineId, command, options);
      } catch (error) {
        if (!(error instanceof HostAccessUnavailable)) throw error;
        this.hostAccess = false;
      }
    }
    return this.runtime.exec(this.deployment, this.machineId, command, options);
  }
}
