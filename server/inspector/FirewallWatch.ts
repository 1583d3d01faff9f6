/**
 * Everyone looking at one machine's firewall: reads it about once a second while at least one
 * viewer is open or a trace runs (and not at all otherwise), sends each viewer what changed,
 * and runs that firewall's packet trace. A trace outlives its viewers: a learner who goes to a
 * terminal to send the traffic finds what it caught when the view is back.
 */
import { errorMessage } from '../log/errorMessage';
import type { FirewallSpec } from '../../labkit/types';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import type { FirewallState } from './firewallState';
import {
  REFRESH_MS,
  TRACE_MAX_PACKETS,
  type ServerMessage,
  type TraceFilter,
  type WhatIfQuery,
} from '../../protocol/inspector';
import { MachineFirewall } from './MachineFirewall';
import { PacketTrace } from './PacketTrace';
import { resolveWhatIf, traceMatch } from './packetFromQuery';
import type { TraceSlots } from './TraceSlots';
import { answerWhatIf } from './whatIf';
import type { Log } from '../log/Log';

export type Viewer = (message: ServerMessage) => void;

export interface WatchOptions {
  runtime: LabRuntime;
  deployment: LabDeployment;
  spec: FirewallSpec;
  /** Whose lab it is: traces are bounded per learner. */
  learnerId: string;
  slots: TraceSlots;
  log: Log;
}

export class FirewallWatch {
  private readonly viewers = new Set<Viewer>();
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private state: FirewallState | undefined;
  private lastSent = '';
  private trace: PacketTrace | undefined;
  private traceMessage: ServerMessage | undefined;
  private readonly firewall: MachineFirewall;
  private closed = false;

  constructor(private readonly options: WatchOptions) {
    this.firewall = new MachineFirewall(options.runtime, options.deployment, options.spec);
  }

  get deployment(): LabDeployment {
    return this.options.deployment;
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  /** Whether it still reads the machine (someone looks, or a trace runs). */
  get active(): boolean {
    return this.timer !== undefined;
  }

  add(viewer: Viewer): void {
    this.viewers.add(viewer);
    const { deployment, spec } = this.options;
    const label = deployment.machines.find((m) => m.id === spec.machineId)?.label ?? spec.machineId;
    viewer({
      type: 'lab',
      machines: deployment.machines.map(({ id, label, addresses }) => ({ id, label, addresses })),
      firewall: { ...spec, label },
    });
    if (this.state) viewer({ type: 'snapshot', data: this.state.snapshot });
    if (this.traceMessage) viewer(this.traceMessage);
    this.resume();
  }

  remove(viewer: Viewer): void {
    this.viewers.delete(viewer);
    this.pauseWhenIdle();
  }

  /** The lab was reset or ended: the trace stops and nothing is read any more. */
  close(): void {
    this.closed = true;
    this.trace?.stop('the lab was reset or ended');
    this.pause();
  }

  whatIf(id: number, query: WhatIfQuery, reply: Viewer): void {
    const state = this.state;
    if (!state) {
      reply({ type: 'whatIf', id, answers: [], error: 'The firewall has not been read yet; try again in a second.' });
      return;
    }
    void this.firewall
      .interfaceByAddress()
      .then((interfaces) => {
        const packet = resolveWhatIf(this.deployment, this.options.spec.machineId, interfaces, query);
        const answers = [answerWhatIf({ source: 'running', ruleset: state.live, lines: state.lines }, packet)];
        if (state.file) answers.push(answerWhatIf({ source: 'file', ruleset: state.file }, packet));
        reply({ type: 'whatIf', id, answers });
      })
      .catch((error: unknown) => reply({ type: 'whatIf', id, answers: [], error: errorMessage(error) }));
  }

  startTrace(filter: TraceFilter): void {
    const state = this.state;
    if (!state) {
      this.broadcast({ type: 'error', message: 'The firewall has not been read yet; try again in a second.' });
      return;
    }
    if (!this.firewall.canTrace) {
      this.broadcast({ type: 'error', message: 'Tracing needs the server to run on the Docker host.' });
      return;
    }
    const { match, description } = traceMatch(this.deployment, this.options.spec.machineId, filter);
    const limit = Math.min(Math.max(1, Math.trunc(filter.packets)), TRACE_MAX_PACKETS);
    const trace: PacketTrace = new PacketTrace({
      firewall: this.firewall,
      current: () => this.state ?? state,
      match,
      limit,
      slots: this.options.slots,
      learnerId: this.options.learnerId,
      onUpdate: (update) => {
        // A replaced trace still says how it ended, but never overwrites its successor's state.
        if (this.trace !== trace) return;
        const message: ServerMessage = {
          type: 'trace',
          state: update.finished ? 'finished' : 'running',
          description,
          packets: update.packets,
        };
        if (update.reason) message.reason = update.reason;
        this.traceMessage = message;
        this.broadcast(message);
        if (update.finished) {
          this.trace = undefined;
          this.pauseWhenIdle();
        }
      },
    });
    // "running" is sent by the trace itself once the kernel marks packets.
    this.trace = trace;
    this.traceMessage = undefined;
  }

  stopTrace(): void {
    this.trace?.stop('stopped');
  }

  private resume(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => void this.tick(), REFRESH_MS);
    void this.tick();
  }

  private pauseWhenIdle(): void {
    if (this.viewers.size === 0 && !this.trace) this.pause();
  }

  private pause(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    // Nobody looks and nothing traces: only the last trace's result is kept, for when a view is back.
    this.state = undefined;
    this.lastSent = '';
  }

  private async tick(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      this.state = await this.firewall.read();
      // Compared without its timestamp: nothing changed means nothing to send.
      const key = JSON.stringify({ ...this.state.snapshot, at: 0 });
      if (key !== this.lastSent) {
        this.lastSent = key;
        this.broadcast({ type: 'snapshot', data: this.state.snapshot });
      }
    } catch (error) {
      const message = errorMessage(error);
      this.options.log(`firewall view of ${this.deployment.deploymentId}: ${message}`);
      this.lastSent = '';
      const label = this.deployment.machines.find((m) => m.id === this.options.spec.machineId)?.label;
      this.broadcast({
        type: 'unavailable',
        message: `${label ?? 'The machine'}'s firewall cannot be read right now (${message}).`,
      });
    } finally {
      this.reading = false;
    }
  }

  private broadcast(message: ServerMessage): void {
    for (const viewer of this.viewers) viewer(message);
  }
}
