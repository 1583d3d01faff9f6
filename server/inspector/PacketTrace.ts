/**
 * One trace of real packets on a machine: the kernel's own verdicts, read with
 * `xtables-monitor --trace` from the host while a separate nft table marks the packets.
 * Ends by itself after its packet count or TRACE_MAX_SECONDS, and always removes its table.
 */
import type { FirewallState } from './firewallState';
import type { TracedPacket } from './inspectorProtocol';
import { TRACE_MAX_SECONDS } from './inspectorProtocol';
import type { MachineFirewall } from './MachineFirewall';
import { TraceReader } from './traceParser';
import { REMOVE_TRACE_TABLE, traceTableScript, type TraceMatch } from './traceTable';

/** xtables-monitor has no "ready" line; give it this long to subscribe before marking packets. */
const MONITOR_SETTLE_MS = 500;
const UPDATE_EVERY_MS = 250;

export interface TraceUpdate {
  packets: TracedPacket[];
  finished: boolean;
  reason?: string;
}

export class PacketTrace {
  private readonly abort = new AbortController();
  private readonly reader: TraceReader;
  private timer: NodeJS.Timeout | undefined;
  private pending: NodeJS.Timeout | undefined;
  private partial = '';
  private finished = false;
  private reason = '';
  /** Resolves once the table is gone and the monitor has exited. */
  readonly done: Promise<void>;

  constructor(
    private readonly firewall: MachineFirewall,
    current: () => FirewallState,
    private readonly match: TraceMatch,
    private readonly limit: number,
    private readonly onUpdate: (update: TraceUpdate) => void,
  ) {
    this.reader = new TraceReader(current);
    this.done = this.run();
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
    const monitor = this.firewall.hostExec(['xtables-monitor', '--trace'], {
      signal: this.abort.signal,
      timeoutMs: (TRACE_MAX_SECONDS + 10) * 1000,
      onStdout: (chunk) => this.feed(chunk),
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, MONITOR_SETTLE_MS));
      if (!this.finished) {
        const added = await this.firewall.hostExec(['nft', '-f', '-'], {
          stdin: traceTableScript(this.match),
          timeoutMs: 5000,
        });
        if (added.exitCode !== 0) this.stop(`the trace could not start: ${added.stderr.trim()}`);
        else {
          this.timer = setTimeout(() => this.stop(`${TRACE_MAX_SECONDS} seconds are up`), TRACE_MAX_SECONDS * 1000);
          // Only now are packets marked: "running" before this would let a learner's first pings go untraced.
          this.onUpdate({ packets: this.reader.traced(), finished: false });
        }
      }
      const exited = await monitor;
      if (!this.finished)
        this.stop(exited.exitCode === 0 ? 'the monitor ended' : `the monitor failed: ${exited.stderr.trim()}`);
    } catch (error) {
      this.stop(`the trace failed: ${error instanceof Error ? error.message : String(error)}`);
      await monitor.catch(() => undefined);
    } finally {
      await this.firewall
        .hostExec(['nft', '-f', '-'], { stdin: REMOVE_TRACE_TABLE, timeoutMs: 5000 })
        .catch(() => undefined);
      this.onUpdate({ packets: this.reader.traced(), finished: true, reason: this.reason });
    }
  }

  private feed(chunk: Buffer): void {
    if (this.finished) return;
    const text = this.partial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.reader.push(line);
    if (this.reader.traced().filter((p) => p.verdict !== undefined).length >= this.limit) {
      this.stop(`${this.limit} packet${this.limit === 1 ? '' : 's'} traced`);
      return;
    }
    this.pending ??= setTimeout(() => {
      this.pending = undefined;
      if (!this.finished) this.onUpdate({ packets: this.reader.traced(), finished: false });
    }, UPDATE_EVERY_MS);
  }
}
