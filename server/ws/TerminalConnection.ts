import { errorDetail, errorMessage } from '../log/errorMessage';
import type { WebSocket } from 'ws';
import type { LabMachine } from '../runtime/LabRuntime';
import type { LabSessions } from '../sessions/LabSessions';
import type { TerminalHub } from '../sessions/terminal/TerminalHub';
import type { TerminalHubs } from '../sessions/terminal/TerminalHubs';
import { InterruptFlush } from './InterruptFlush';
import { helloSchema, parseJsonPayload, sizeSchema } from './messages';
import { OutputBatcher } from './OutputBatcher';
import { ClientOp, CloseCode, frame, Limits, ServerOp, type TerminalReady } from '../../protocol/terminal';
import { SendWindow } from './SendWindow';
import type { Log } from '../log/Log';

const HELLO_TIMEOUT_MS = 10_000;

export interface ConnectionTarget {
  sessionId: string;
  machineId: string;
}

/**
 * Bridges one authorised WebSocket to a machine's TerminalHub: decodes client frames, batches
 * output, and applies flow control. Anything malformed gets a clear ERROR frame or close code.
 */
export class TerminalConnection {
  private hub: TerminalHub | undefined;
  private detach: (() => void) | undefined;
  private helloSeen = false;
  /** The latest size the page asked for (HELLO, then RESIZEs), applied once the shell is attached. */
  private size: { cols: number; rows: number } | undefined;
  private clientPaused = false;
  private windowPaused = false;
  private readonly batcher: OutputBatcher;
  private readonly window: SendWindow;
  private readonly helloTimer: NodeJS.Timeout;
  private readonly interrupt: InterruptFlush;

  private readonly sessions: LabSessions;
  private readonly hubs: TerminalHubs;
  private readonly log: Log;

  constructor(
    private readonly ws: WebSocket,
    private readonly target: ConnectionTarget,
    { sessions, hubs, log }: { sessions: LabSessions; hubs: TerminalHubs; log: Log },
  ) {
    this.sessions = sessions;
    this.hubs = hubs;
    this.log = log;
    this.batcher = new OutputBatcher((chunk) => this.sendOutput(chunk));
    this.window = new SendWindow(Limits.highWater, Limits.lowWater, (paused) => {
      this.windowPaused = paused;
      this.applyPause();
    });
    this.interrupt = new InterruptFlush((skipped, tail) => {
      if (skipped > 0)
        this.batcher.push(
          Buffer.from(
            `\r\n\x1b[2m[${Math.round(skipped / 1024)} KiB of output skipped after the interrupt]\x1b[0m\r\n`,
          ),
        );
      this.batcher.push(tail);
      this.batcher.flush();
      this.applyPause();
    });
    this.helloTimer = setTimeout(() => this.close(CloseCode.PROTOCOL, 'No HELLO frame received'), HELLO_TIMEOUT_MS);
    ws.on('message', (data, isBinary) => this.guard(() => this.onMessage(data, isBinary)));
    ws.on('close', () => this.dispose());
  }

  private onMessage(data: unknown, isBinary: boolean): void {
    if (!isBinary || !Buffer.isBuffer(data))
      return this.close(CloseCode.PROTOCOL, 'Binary frames only: 1-byte opcode + payload');
    if (data.length === 0) return this.close(CloseCode.PROTOCOL, 'Empty frame');
    const opcode = data[0];
    const payload = data.subarray(1);
    if (!this.helloSeen) {
      if (opcode !== ClientOp.HELLO) return this.close(CloseCode.PROTOCOL, 'The first frame must be HELLO');
      this.helloSeen = true;
      clearTimeout(this.helloTimer);
      const hello = parseJsonPayload(helloSchema, payload);
      if (!hello.ok) return this.close(CloseCode.PROTOCOL, `Invalid HELLO: ${hello.error}`);
      this.size = hello.value;
      void this.attach(hello.value).catch((error: unknown) => this.onAttachFailed(error));
      return;
    }
    switch (opcode) {
      case ClientOp.INPUT:
        if (!this.hub) return;
        this.batcher.markInput();
        if (payload.includes(0x03) && this.window.outstanding > Limits.lowWater) {
          // Interrupting a flood: skip what is already queued instead of rendering it.
          this.interrupt.start();
          this.applyPause();
        }
        this.hub.write(Buffer.from(payload));
        this.sessions.touch(this.target.sessionId);
        return;
      case ClientOp.RESIZE: {
        const size = parseJsonPayload(sizeSchema, payload);
        if (!size.ok) return this.sendError(`Resize rejected: ${size.error}`);
        // Before the shell is attached, remember it: the attach applies the latest size, not HELLO's.
        this.size = size.value;
        void this.hub?.resize(size.value).catch(() => undefined);
        return;
      }
      case ClientOp.PAUSE:
      case ClientOp.RESUME:
        this.clientPaused = opcode === ClientOp.PAUSE;
        this.applyPause();
        return;
      case ClientOp.ACK:
        if (payload.length !== 4) return this.sendError('ACK needs a 4-byte big-endian count');
        this.window.acked(payload.readUInt32BE(0));
        return;
      case ClientOp.HELLO:
        return this.sendError('HELLO was already received');
      default:
        return this.close(CloseCode.PROTOCOL, `Unknown opcode 0x${(opcode ?? 0).toString(16).padStart(2, '0')}`);
    }
  }

  private async attach(size: { cols: number; rows: number }): Promise<void> {
    const hub = await this.hubs.open(this.target.sessionId, this.target.machineId, size);
    if (this.ws.readyState !== this.ws.OPEN) return;
    const attached = hub.attach(
      {
        output: (chunk) => {
          if (!this.interrupt.take(chunk)) this.batcher.push(chunk);
        },
        close: (code, reason) => this.close(code, reason),
      },
      CloseCode.REPLACED,
    );
    this.hub = hub;
    this.detach = attached.detach;
    const machine = this.machine();
    const ready: TerminalReady = {
      machineId: this.target.machineId,
      label: machine?.label ?? this.target.machineId,
      addresses: machine?.addresses ?? {},
      scrollbackBytes: attached.scrollback.length,
    };
    this.send(ServerOp.READY, JSON.stringify(ready));
    for (let at = 0; at < attached.scrollback.length; at += 64 * 1024) {
      this.sendOutput(attached.scrollback.subarray(at, at + 64 * 1024));
    }
    await hub.resize(this.size ?? size).catch(() => undefined);
  }

  private onAttachFailed(error: unknown): void {
    if (!this.sessions.get(this.target.sessionId)) return this.close(CloseCode.LAB_ENDED, 'The lab has ended');
    this.log(`terminal ${this.target.sessionId}/${this.target.machineId} could not open: ${errorMessage(error)}`);
    this.close(CloseCode.SERVER_ERROR, 'The terminal could not be opened; retrying');
  }

  private machine(): LabMachine | undefined {
    return this.sessions.get(this.target.sessionId)?.deployment?.machines.find((m) => m.id === this.target.machineId);
  }

  private applyPause(): void {
    // While skipping an interrupted flood, read as fast as possible.
    this.hub?.setPaused(!this.interrupt.active && (this.clientPaused || this.windowPaused));
  }

  private sendOutput(chunk: Buffer): void {
    this.window.sent(chunk.length);
    this.send(ServerOp.OUTPUT, chunk);
  }

  private sendError(message: string): void {
    this.send(ServerOp.ERROR, message);
  }

  private send(opcode: number, payload: Uint8Array | string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame(opcode, payload));
  }

  private close(code: number, reason: string): void {
    this.batcher.flush();
    // Close reasons are limited to 123 bytes by the protocol.
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING)
      this.ws.close(code, reason.slice(0, 120));
    this.dispose();
  }

  /** One place for unexpected errors: log it, close this socket, keep the server up. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.log(`terminal socket error: ${errorDetail(error)}`);
      this.close(CloseCode.SERVER_ERROR, 'Internal error');
    }
  }

  private dispose(): void {
    clearTimeout(this.helloTimer);
    this.interrupt.dispose();
    this.batcher.dispose();
    this.detach?.();
    this.detach = undefined;
    this.hub = undefined;
  }
}
