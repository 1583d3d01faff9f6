/**
 * One trace of real packets on a machine: the kernel's own verdicts, read with
 * `xtables-monitor --trace` from the host while a separate nft table marks the packets.
 * Ends by itself after its packet count or TRACE_MAX_SECONDS, and always removes its table.
 */
import { errorMessage } from '../log/errorMessage';
import { StringDecoder } from 'node:string_decoder';
import type { FirewallState } from './firewallState';
import type { TracedPacket } from '../../protocol/inspector';
import { TRACE_MAX_SECONDS } from '../../protocol/inspector';
import type { MachineFirewall } from './MachineFirewall';
import { TraceReader } from './traceParser';
import { REMOVE_TRACE_TABLE, traceTableScript, type TraceMatch } from './traceTable';
import type { TraceSlots } from './TraceSlots';
import { traceSubscribers, waitForSubscriber } from './traceSubscribers';

/** How long the monitor may take to subscribe on a loaded host before the trace gives up. */
const MONITOR_START_MS = 15_000;
const UPDATE_EVERY_MS = 250;
/** A host command of the trace's own (nft, reading the netlink table): generous, a loaded host is slow to start one. */
const HOST_COMMAND_MS = 15_000;

export interface TraceUpdate {
  packets: TracedPacket[];
  finished: boolean;
  reason?: string;
}

export interface TraceOptions {
  firewall: MachineFirewall;
  current: () => FirewallState;
  match: TraceMatch;
  limit: number;
  onUpdate: (update: TraceUpdate) => void;
  slots: TraceSlots;
  /** Whose trace it is: a learner has one at a time. */
  learnerId: string;
}

export class PacketTrace {
  private readonly abort = new AbortController();
  private readonly reader: TraceReader;
  private readonly decoder = new StringDecoder('utf8');
  private timer: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;
  private finished = false;
  private reason = '';
  /** Once the packet count is reached: the packets it counted. */
  private counted: TracedPacket[] | undefined;
  /** Resolves once the table is gone and the monitor has exited (or was never started). */
  readonly done: Promise<void>;

  constructor(private readonly options: TraceOptions) {
    this.reader = new TraceReader(options.current);
    let started!: () => void;
    this.done = new Promise<void>((resolve) => (started = resolve)).then(() => this.run());
    // Claimed before run() starts, so the learner's previous trace is stopped synchronously.
    const previous = options.slots.claim(options.learnerId, this);
    void previous.then(started, started);
  }

  get running(): boolean {
    return !this.finished;
  }

  /** A method, not a property: `stop` may run between awaits, which narrowing cannot see. */
  private stopped(): boolean {
    return this.finished;
  }

  stop(reason: string): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    clearTimeout(this.pending);
    this.abort.abort();
    this.reason = reason;
  }

  private async run(): Promise<void> {
    // Stopped while the learner's previous trace was ending: nothing was started, nothing to undo.
    if (this.stopped()) {
      this.update(true);
      return;
    }
    if (!this.options.slots.take()) {
      this.stop('too many traces are running on this server right now; try again in a minute');
      this.update(true);
      return;
    }
    const { firewall } = this.options;
    try {
      const netlink = async () =>
        (await firewall.hostExec(['cat', '/proc/net/netlink'], { timeoutMs: HOST_COMMAND_MS })).stdout;
      let before: Set<string>;
      try {
        before = traceSubscribers(await netlink());
      } catch (error) {
        this.stop(`the trace could not start: ${errorMessage(error)}`);
        return;
      }
      let monitorEnded = false;
      const monitor = firewall.hostExec(['xtables-monitor', '--trace'], {
        signal: this.abort.signal,
        timeoutMs: (TRACE_MAX_SECONDS + 10) * 1000,
        onStdout: (chunk) => this.feed(chunk),
      });
      // Awaited below; until then its failure must not count as unhandled.
      monitor.catch(() => undefined).finally(() => (monitorEnded = true));
      try {
        // Packets are marked only once the monitor listens: marked before, they would reach nobody.
        const abandoned = () => this.stopped() || monitorEnded;
        const listening = await waitForSubscriber({ read: netlink, before, timeoutMs: MONITOR_START_MS, abandoned });
        if (!listening && !abandoned())
          this.stop(`the trace could not start: the monitor was not listening after ${MONITOR_START_MS / 1000} s`);
        if (listening && !this.stopped()) {
          const added = await firewall.hostExec(['nft', '-f', '-'], {
            stdin: traceTableScript(this.options.match),
            timeoutMs: HOST_COMMAND_MS,
          });
          if (added.timedOut) this.stop(`the trace could not start: the host took over ${HOST_COMMAND_MS / 1000} s`);
          else if (added.exitCode !== 0) this.stop(`the trace could not start: ${added.stderr.trim()}`);
          else if (!this.stopped()) {
            this.timer = setTimeout(() => this.stop(`${TRACE_MAX_SECONDS} seconds are up`), TRACE_MAX_SECONDS * 1000);
            // Only now are packets marked: "running" before this would let a learner's first pings go untraced.
            this.update(false);
          }
        }
        const exited = await monitor;
        if (!this.stopped())
          this.stop(exited.exitCode === 0 ? 'the monitor ended' : `the monitor failed: ${exited.stderr.trim()}`);
      } catch (error) {
        this.stop(`the trace failed: ${errorMessage(error)}`);
        this.abort.abort();
        await monitor.catch(() => undefined);
      }
    } finally {
      this.options.slots.release();
      await firewall
        .hostExec(['nft', '-f', '-'], { stdin: REMOVE_TRACE_TABLE, timeoutMs: HOST_COMMAND_MS })
        .catch(() => undefined);
      this.update(true);
    }
  }

  private update(finished: boolean): void {
    const update: TraceUpdate = { packets: this.counted ?? this.reader.traced(), finished };
    if (finished) update.reason = this.reason;
    this.options.onUpdate(update);
  }

  private feed(chunk: Buffer): void {
    if (this.finished) return;
    this.reader.feed(this.decoder.write(chunk));
    const { limit } = this.options;
    const judged = this.reader.traced().filter((p) => p.verdict !== undefined);
    if (judged.length >= limit) {
      // The packets asked for, no more: a slow monitor's output may arrive with the next one's in it.
      this.counted = judged.slice(0, limit);
      this.stop(`${limit} packet${limit === 1 ? '' : 's'} traced`);
      return;
    }
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      if (!this.finished) this.update(false);
    }, UPDATE_EVERY_MS);
  }
}
