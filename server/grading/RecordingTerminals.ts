/**
 * Learner terminals without the web server: real TTY shells opened through the runtime, their
 * output recorded like TerminalHubs' scrollback. Used by `npm run lab:test` and the lab tests.
 */
import type { LearnerTerminals } from '../../labkit/types';
import type { LabDeployment, LabRuntime, TerminalStream } from '../runtime/LabRuntime';
import { CommandTracker, type CommandFinished } from '../sessions/terminal/commandTracker';

const MAX_BYTES = 512 * 1024;

export class RecordingTerminals implements LearnerTerminals {
  private readonly streams = new Map<string, Promise<TerminalStream>>();
  private readonly output = new Map<string, string>();
  private readonly finished = new Set<(event: CommandFinished) => void>();
  private readonly typed = new Set<(machineId: string, bytes: number) => void>();

  constructor(
    private readonly runtime: LabRuntime,
    private readonly deployment: LabDeployment,
  ) {}

  /** Each command the shells report finished (from their shell-integration markers). */
  onCommandFinished(listener: (event: CommandFinished) => void): () => void {
    this.finished.add(listener);
    return () => this.finished.delete(listener);
  }

  /** Each write into a shell, by byte count (as TerminalHubs reports the page's keystrokes). */
  onInput(listener: (machineId: string, bytes: number) => void): () => void {
    this.typed.add(listener);
    return () => this.typed.delete(listener);
  }

  transcript(machineId: string): string {
    return this.output.get(machineId) ?? '';
  }

  async type(machineId: string, text: string): Promise<void> {
    const stream = await this.open(machineId);
    for (const listener of this.typed) listener(machineId, Buffer.byteLength(text));
    stream.write(text);
  }

  /** Opens the machine's shell and waits for its first prompt, as a learner's tab would. */
  async open(machineId: string): Promise<TerminalStream> {
    let pending = this.streams.get(machineId);
    if (!pending) {
      pending = this.runtime.openTerminal(this.deployment, machineId, { cols: 160, rows: 48 }).then(async (stream) => {
        const tracker = new CommandTracker(this.deployment.deploymentId, machineId, (event) => {
          for (const listener of this.finished) listener(event);
        });
        stream.onData((chunk) => {
          tracker.push(chunk);
          const next = (this.output.get(machineId) ?? '') + chunk.toString('utf8');
          this.output.set(machineId, next.length > MAX_BYTES ? next.slice(-MAX_BYTES) : next);
        });
        const deadline = Date.now() + 10_000;
        while (!/[#$] $/.test(this.transcript(machineId).replace(/\x1b\][^\x07]*\x07/g, '')) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        return stream;
      });
      this.streams.set(machineId, pending);
    }
    return pending;
  }

  close(): void {
    for (const pending of this.streams.values())
      void pending.then(
        (s) => s.close(),
        () => undefined,
      );
    this.streams.clear();
  }
}
