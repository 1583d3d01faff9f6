import { errorMessage } from '../../log/errorMessage';
import type { ScrollbackFiles } from './ScrollbackFiles';
import { ScrollbackSaver } from './ScrollbackSaver';
import type { LabRuntime, TerminalSize } from '../../runtime/LabRuntime';
import { CloseCode } from '../../../protocol/closeCodes';
import type { LabSessions } from '../LabSessions';
import type { SessionEventSnapshot } from '../labSessionTypes';
import type { CommandFinished } from './commandTracker';
import { TerminalHub } from './TerminalHub';
import { terminalKey as key, TerminalListeners } from './TerminalListeners';
import type { Log } from '../../log/Log';

export type CommandFinishedListener = (event: CommandFinished) => void;

/**
 * Every open lab terminal, one TerminalHub per (lab session, machine), opened on first attach.
 * Hubs close when their lab resets or ends.
 *
 * For grading:
 *   getTranscript(sessionId, machineId): string
 *     raw output of the terminal (escape sequences included), the last 512 KiB; '' if never opened.
 *   onCommandFinished(sessionId, machineId, listener): () => void
 *     called after each command the learner runs there (from OSC 633 markers); survives
 *     reconnects and resets; returns an unsubscribe function.
 *   onInput(sessionId, machineId, listener): () => void
 *     called with the byte count of every write into that terminal (the page's keystrokes, a
 *     solve's typing): what the host passed in, whatever the shell reports.
 */
export class TerminalHubs {
  private readonly hubs = new Map<string, TerminalHub>();
  private readonly saver: ScrollbackSaver | undefined;
  private readonly opening = new Map<string, Promise<TerminalHub>>();
  private readonly commands: TerminalListeners<CommandFinished>;
  private readonly inputs: TerminalListeners<number>;
  /** Read-only watchers per terminal; they follow the shell across reopen and reset. */
  private readonly watchers = new Map<string, Map<(chunk: Buffer) => void, () => void>>();

  constructor(
    private readonly sessions: LabSessions,
    private readonly runtime: LabRuntime,
    private readonly log: Log,
    saved?: ScrollbackFiles,
  ) {
    this.commands = new TerminalListeners(log, 'command');
    this.inputs = new TerminalListeners(log, 'input');
    this.saver = saved && new ScrollbackSaver(saved, this.hubs, log);
  }

  /** A hook: shells open as soon as machines exist and close when they go. */
  onSessionEvent(event: SessionEventSnapshot): void {
    // Open the shells as soon as the machines exist, so the page finds them ready.
    if (event.type === 'started' || event.type === 'reset' || event.type === 'woken') this.prewarm(event.session.id);
    if (event.type === 'sleeping') {
      // The shells die with the machines; their screens come back after the wake.
      void this.saver?.saveSession(event.session.id);
      this.closeSession(event.session.id, CloseCode.LAB_ASLEEP, 'The lab is going to sleep');
    }
    if (event.type === 'resetting') this.closeSession(event.session.id, CloseCode.LAB_RESET, 'The lab is being reset');
    if (event.type === 'broken')
      this.closeSession(
        event.session.id,
        CloseCode.MACHINE_STOPPED,
        event.session.problem ?? 'A machine stopped unexpectedly',
      );
    if (event.type === 'recovered') this.prewarm(event.session.id);
    if (event.type === 'resetting' || event.type === 'ended') void this.saver?.removeSession(event.session.id);
    if (event.type === 'ended') {
      this.closeSession(event.session.id, CloseCode.LAB_ENDED, 'The lab has ended');
      this.commands.forgetSession(event.session.id);
      this.inputs.forgetSession(event.session.id);
    }
  }

  /** The machine's live shell, opened at `size` if there is none yet. */
  open(sessionId: string, machineId: string, size: TerminalSize): Promise<TerminalHub> {
    const k = key(sessionId, machineId);
    const hub = this.hubs.get(k);
    if (hub && !hub.isExited) return Promise.resolve(hub);
    let pending = this.opening.get(k);
    if (!pending) {
      pending = this.create(sessionId, machineId, size).finally(() => this.opening.delete(k));
      this.opening.set(k, pending);
    }
    return pending;
  }

  /** Opens every machine's shell in the background at a default size; the page resizes it. */
  prewarm(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (session?.status === 'sleeping') return;
    const machines = session?.deployment?.machines ?? [];
    for (const machine of machines) {
      this.open(sessionId, machine.id, { cols: 80, rows: 24 }).catch((error: unknown) => {
        this.log(`could not pre-open ${machine.id}: ${errorMessage(error)}`);
      });
    }
  }

  getTranscript(sessionId: string, machineId: string): string {
    return this.hubs.get(key(sessionId, machineId))?.scrollback.snapshot().toString('utf8') ?? '';
  }

  onCommandFinished(sessionId: string, machineId: string, listener: CommandFinishedListener): () => void {
    return this.commands.add(sessionId, machineId, listener);
  }

  onInput(sessionId: string, machineId: string, listener: (bytes: number) => void): () => void {
    return this.inputs.add(sessionId, machineId, listener);
  }

  /**
   * The instructor's read-only view: the scrollback, then live output, of the
   * machine's shell, now or whenever it opens. Never writes, never resizes.
   */
  watch(sessionId: string, machineId: string, onOutput: (chunk: Buffer) => void): () => void {
    const k = key(sessionId, machineId);
    let watchers = this.watchers.get(k);
    if (!watchers) {
      watchers = new Map();
      this.watchers.set(k, watchers);
    }
    const hub = this.hubs.get(k);
    watchers.set(onOutput, hub ? hub.observe(onOutput) : () => undefined);
    return () => {
      watchers.get(onOutput)?.();
      watchers.delete(onOutput);
      if (watchers.size === 0 && this.watchers.get(k) === watchers) this.watchers.delete(k);
    };
  }

  /** At a deliberate stop, after stopSaving(): every changed scrollback, on disk when this returns. */
  saveAll(): void {
    this.saver?.saveAllNow();
  }

  /** No more periodic saves; resolves once the writes under way are done. */
  async stopSaving(): Promise<void> {
    await this.saver?.stop();
  }

  /** Resolves once the scrollback files of lab sessions that ended are gone (at shutdown). */
  async savesSettled(): Promise<void> {
    await this.saver?.idle();
  }

  /** Number of live shells, for tests and the benchmark. */
  get size(): number {
    return this.hubs.size;
  }

  private async create(sessionId: string, machineId: string, size: TerminalSize): Promise<TerminalHub> {
    const deployment = await this.sessions.whenReady(sessionId);
    // Its screen saved as the lab went to sleep, or removed at a reset, is on disk first.
    await this.saver?.settled(sessionId);
    if (this.sessions.get(sessionId)?.status === 'sleeping') throw new Error('The lab is asleep');
    const stream = await this.runtime.openTerminal(deployment, machineId, size);
    const session = this.sessions.get(sessionId);
    if (!session || session.deployment !== deployment) {
      // Reset or ended while the shell was opening: that machine is gone.
      stream.close();
      throw new Error('The lab changed while the terminal was opening');
    }
    const k = key(sessionId, machineId);
    const hub = new TerminalHub(stream, sessionId, machineId, {
      commandFinished: (event) => this.commands.emit(k, event),
      input: (bytes) => this.inputs.emit(k, bytes),
    });
    // Before any output event can arrive: what this terminal showed before a server restart.
    const before = this.saver?.take(sessionId, machineId);
    if (before) hub.scrollback.push(before);
    hub.onExit(() => {
      if (this.hubs.get(k) === hub) this.hubs.delete(k);
    });
    this.hubs.set(k, hub);
    const watchers = this.watchers.get(k);
    for (const onOutput of watchers?.keys() ?? []) watchers?.set(onOutput, hub.observe(onOutput));
    return hub;
  }

  private closeSession(sessionId: string, code: number, reason: string): void {
    for (const [k, hub] of [...this.hubs]) {
      if (!k.startsWith(`${sessionId}/`)) continue;
      this.hubs.delete(k);
      hub.close(code, reason);
    }
  }
}
