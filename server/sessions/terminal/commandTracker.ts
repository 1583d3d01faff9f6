import { RingBuffer } from './RingBuffer';
import { ShellIntegrationParser, type ShellMark } from '../../../labkit/shellIntegration';

/** A command the learner ran in a terminal, as seen through the shell-integration markers. */
export interface CommandFinished {
  sessionId: string;
  machineId: string;
  /** From the E marker; undefined if the shell did not send one. */
  commandLine: string | undefined;
  /** From the D marker; undefined if the shell did not send one. */
  exitCode: number | undefined;
  /** Raw output (escape sequences included) between C and D; at most the last 64 KiB. */
  output: string;
  startedAt: number;
  finishedAt: number;
}

const MAX_OUTPUT_BYTES = 64 * 1024;

/** Turns a terminal's output stream into CommandFinished events. */
export class CommandTracker {
  private readonly parser = new ShellIntegrationParser();
  private readonly output = new RingBuffer(MAX_OUTPUT_BYTES);
  private running = false;
  private commandLine: string | undefined;
  private startedAt = 0;

  constructor(
    private readonly sessionId: string,
    private readonly machineId: string,
    private readonly emit: (event: CommandFinished) => void,
  ) {}

  push(chunk: Buffer): void {
    this.parser.push(
      chunk,
      (text) => {
        if (this.running) this.output.push(Buffer.from(text));
      },
      (mark) => this.onMark(mark),
    );
  }

  private onMark(mark: ShellMark): void {
    switch (mark.type) {
      case 'command-line':
        this.commandLine = mark.commandLine;
        break;
      case 'command-start':
        this.running = true;
        this.startedAt = Date.now();
        this.output.clear();
        break;
      case 'command-finished':
        // bash reports D for the very first prompt too; only a started command counts.
        if (this.running) {
          this.emit({
            sessionId: this.sessionId,
            machineId: this.machineId,
            commandLine: this.commandLine,
            exitCode: mark.exitCode,
            output: this.output.snapshot().toString('utf8'),
            startedAt: this.startedAt,
            finishedAt: Date.now(),
          });
        }
        this.running = false;
        this.commandLine = undefined;
        this.output.clear();
        break;
      case 'prompt':
        break;
    }
  }
}
