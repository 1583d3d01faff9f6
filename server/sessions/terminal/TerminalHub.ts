import { CloseCode } from '../../../protocol/closeCodes';
import type { TerminalSize, TerminalStream } from '../../runtime/LabRuntime';
import { CommandTracker, type CommandFinished } from './commandTracker';
import { RingBuffer } from './RingBuffer';

/** The one browser socket attached to a terminal. */
export interface HubClient {
  output(chunk: Buffer): void;
  close(code: number, reason: string): void;
}

export const SCROLLBACK_BYTES = 512 * 1024;

/** What a hub tells about its terminal. */
export interface HubEvents {
  commandFinished(event: CommandFinished): void;
  /** Bytes written into the terminal, counted as they pass (the journal's console input). */
  input(bytes: number): void;
}

/**
 * Keeps one machine's shell alive independently of any WebSocket: a reload or a dropped
 * connection re-attaches to the same bash (same $$, cwd, running job) and gets the scrollback.
 * At most one client is attached; a newer one replaces it.
 */
export class TerminalHub {
  readonly scrollback = new RingBuffer(SCROLLBACK_BYTES);
  private client: HubClient | undefined;
  private clientPaused = false;
  private exited = false;
  private readonly tracker: CommandTracker;
  private readonly exitListeners = new Set<() => void>();
  private wantedSize: TerminalSize | undefined;
  private appliedSize: TerminalSize | undefined;
  private resizing: Promise<void> | undefined;
  /** Read-only watchers (the instructor's view): they see output, never write or resize. */
  private readonly observers = new Set<(chunk: Buffer) => void>();

  constructor(
    private readonly stream: TerminalStream,
    sessionId: string,
    machineId: string,
    private readonly events: HubEvents,
  ) {
    this.tracker = new CommandTracker(sessionId, machineId, (event) => events.commandFinished(event));
    stream.onData((chunk) => {
      this.scrollback.push(chunk);
      this.tracker.push(chunk);
      this.client?.output(chunk);
      for (const observer of this.observers) observer(chunk);
    });
    stream.onExit(() => {
      this.exited = true;
      this.client?.close(CloseCode.SHELL_EXITED, 'The shell exited');
      this.client = undefined;
      for (const listener of this.exitListeners) listener();
    });
  }

  get isExited(): boolean {
    return this.exited;
  }

  /**
   * Attaches a client and returns the scrollback to replay first. Taking the snapshot and
   * attaching happen together, so no output is lost or shown twice.
   */
  attach(client: HubClient, replacedCode: number): { scrollback: Buffer; detach: () => void } {
    const previous = this.client;
    this.client = client;
    this.setPaused(false);
    previous?.close(replacedCode, 'This terminal was opened in another tab');
    return {
      scrollback: this.scrollback.snapshot(),
      detach: () => {
        if (this.client !== client) return;
        this.client = undefined;
        // Nobody is watching: keep draining into the scrollback so the shell never blocks.
        this.setPaused(false);
      },
    };
  }

  write(data: Buffer): void {
    this.events.input(data.length);
    this.stream.write(data);
  }

  /**
   * Resizes one at a time, always ending at the latest size: concurrent Docker resize calls can
   * land out of order, leaving the shell at a stale size.
   */
  resize(size: TerminalSize): Promise<void> {
    this.wantedSize = size;
    this.resizing ??= this.applySizes().finally(() => {
      this.resizing = undefined;
    });
    return this.resizing;
  }

  private async applySizes(): Promise<void> {
    while (
      this.wantedSize &&
      (this.wantedSize.cols !== this.appliedSize?.cols || this.wantedSize.rows !== this.appliedSize.rows)
    ) {
      const next = this.wantedSize;
      await this.stream.resize(next).catch(() => undefined);
      this.appliedSize = next;
    }
  }

  /** Flow control from the attached client: stop reading the shell until it catches up. */
  setPaused(paused: boolean): void {
    if (paused === this.clientPaused) return;
    this.clientPaused = paused;
    if (paused) this.stream.pause();
    else this.stream.resume();
  }

  /** Replays the scrollback to `observer`, then streams output to it until the returned stop(). */
  observe(observer: (chunk: Buffer) => void): () => void {
    const scrollback = this.scrollback.snapshot();
    if (scrollback.length > 0) observer(scrollback);
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  onExit(listener: () => void): void {
    this.exitListeners.add(listener);
  }

  close(code: number, reason: string): void {
    this.client?.close(code, reason);
    this.client = undefined;
    this.stream.close();
  }
}
