import type Docker from 'dockerode';
import type { RuntimeEvent } from '../LabRuntime';
import { LABEL } from './labels';

const RETRY_MS = 2000;

/**
 * Follows Docker's event stream for this namespace's machines. A machine that dies without the
 * runtime having asked for it is reported; so is the engine going away (the stream breaks and
 * pings fail) and coming back. Only runs while someone listens.
 */
export class DockerEventWatcher {
  private readonly listeners = new Set<(event: RuntimeEvent) => void>();
  private stream: NodeJS.ReadableStream | undefined;
  private running = false;
  private engineUp = true;

  constructor(
    private readonly docker: Docker,
    private readonly namespace: string,
    /** Stops the runtime caused itself (restart, destroy): not news. */
    private readonly expected: (containerId: string) => boolean,
  ) {}

  watch(listener: (event: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    if (!this.running) void this.loop();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) (this.stream as { destroy?: () => void } | undefined)?.destroy?.();
    };
  }

  private emit(event: RuntimeEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.listeners.size > 0) {
        try {
          const filters = JSON.stringify({
            type: ['container'],
            event: ['die'],
            label: [`${LABEL.namespace}=${this.namespace}`],
          });
          const stream = await this.docker.getEvents({ filters });
          this.stream = stream;
          if (!this.engineUp) {
            this.engineUp = true;
            this.emit({ type: 'engine-up' });
          }
          await this.follow(stream);
        } catch {
          // Not answering: handled below.
        }
        if (this.listeners.size === 0) break;
        const answering = await this.docker.ping().then(
          () => true,
          () => false,
        );
        if (!answering && this.engineUp) {
          this.engineUp = false;
          this.emit({ type: 'engine-down' });
        }
        await new Promise((resolve) => setTimeout(resolve, answering ? 200 : RETRY_MS).unref());
      }
    } finally {
      this.running = false;
      this.stream = undefined;
    }
  }

  /** Resolves when the stream ends or breaks. */
  private follow(stream: NodeJS.ReadableStream): Promise<void> {
    let pending = '';
    return new Promise((resolve) => {
      stream.on('data', (chunk: Buffer) => {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) if (line.trim()) this.onLine(line);
      });
      stream.on('end', () => resolve());
      stream.on('close', () => resolve());
      stream.on('error', () => resolve());
    });
  }

  private onLine(line: string): void {
    let event: { Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      return;
    }
    const id = event.Actor?.ID ?? '';
    const attributes = event.Actor?.Attributes ?? {};
    const deploymentId = attributes[LABEL.session];
    const machineId = attributes[LABEL.machine];
    if (event.Action !== 'die' || !deploymentId || !machineId || this.expected(id)) return;
    this.emit({ type: 'machine-stopped', deploymentId: deploymentId, machineId });
  }
}
