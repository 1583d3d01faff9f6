/**
 * Everyone looking at one lab's firewall: reads it about once a second while at least one
 * viewer is open (and not at all otherwise), sends each viewer what changed, and runs that
 * lab's single packet trace.
 */
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import type { FirewallState } from './firewallState';
import {
  INSPECTED_MACHINE,
  REFRESH_MS,
  TRACE_MAX_PACKETS,
  type ServerMessage,
  type TraceFilter,
  type WhatIfQuery,
} from './inspectorProtocol';
import { MachineFirewall } from './MachineFirewall';
import { PacketTrace } from './PacketTrace';
import { resolveWhatIf, traceMatch } from './packetFromQuery';
import { answerWhatIf } from './whatIf';

export type Viewer = (message: ServerMessage) => void;

export class FirewallWatch {
  private readonly viewers = new Set<Viewer>();
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private state: FirewallState | undefined;
  private lastSent = '';
  private trace: PacketTrace | undefined;
  private traceMessage: ServerMessage | undefined;
  private readonly firewall: MachineFirewall;

  constructor(
    runtime: LabRuntime,
    readonly deployment: LabDeployment,
    private readonly log: (message: string) => void,
  ) {
    this.firewall = new MachineFirewall(runtime, deployment, INSPECTED_MACHINE);
  }

  get viewerCount(): number {
    return this.viewers.size;
  }

  add(viewer: Viewer): void {
    this.viewers.add(viewer);
    viewer({
      type: 'lab',
      machines: this.deployment.machines.map(({ id, label, addresses }) => ({ id, label, addresses })),
    });
    if (this.state) viewer({ type: 'snapshot', data: this.state.snapshot });
    if (this.traceMessage) viewer(this.traceMessage);
    if (!this.timer) {
      this.timer = setInterval(() => void this.tick(), REFRESH_MS);
      void this.tick();
    }
  }

  /** Returns true when nobody is looking any more (the watch can be dropped). */
  remove(viewer: Viewer): boolean {
    this.viewers.delete(viewer);
    if (this.viewers.size > 0) return false;
    this.close();
    return true;
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.trace?.stop('the view was closed');
  }

  whatIf(id: number, query: WhatIfQuery, reply: Viewer): void {
    const state = this.state;
    if (!state) {
      reply({
        type: 'whatIf',
        id,
        answers: [],
        error: 'The firewall has not been read yet; try again in a second.',
      });
      return;
    }
    void this.firewall
      .interfaceByAddress()
      .then((interfaces) => {
        const packet = resolveWhatIf(this.deployment, interfaces, query);
        const answers = [answerWhatIf({ source: 'running', ruleset: state.live, lines: state.lines }, packet)];
        if (state.file) answers.push(answerWhatIf({ source: 'file', ruleset: state.file }, packet));
        reply({ type: 'whatIf', id, answers });
      })
      .catch((error: unknown) =>
        reply({ type: 'whatIf', id, answers: [], error: error instanceof Error ? error.message : String(error) }),
      );
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
    const { match, description } = traceMatch(this.deployment, filter);
    const limit = Math.min(Math.max(1, Math.trunc(filter.packets)), TRACE_MAX_PACKETS);
    this.trace?.stop('a new trace started');
    const trace = new PacketTrace(
      this.firewall,
      () => this.state ?? state,
      match,
      limit,
      (update) => {
        if (this.trace !== trace && !update.finished) return;
        const message: ServerMessage = {
          type: 'trace',
          state: update.finished ? 'finished' : 'running',
          description,
          packets: update.packets,
        };
        if (update.reason) message.reason = update.reason;
        this.traceMessage = message;
        this.broadcast(message);
      },
    );
    // "running" is sent by the trace itself once the kernel marks packets.
    this.trace = trace;
    this.traceMessage = undefined;
    void trace.done.finally(() => {
      if (this.trace === trace) this.trace = undefined;
    });
  }

  stopTrace(): void {
    this.trace?.stop('stopped');
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
      const message = error instanceof Error ? error.message : String(error);
      this.log(`firewall view of ${this.deployment.deploymentId}: ${message}`);
      this.lastSent = '';
      this.broadcast({ type: 'unavailable', message: `Machine 1's firewall cannot be read right now (${message}).` });
    } finally {
      this.reading = false;
    }
  }

  private broadcast(message: ServerMessage): void {
    for (const viewer of this.viewers) viewer(message);
  }
}
