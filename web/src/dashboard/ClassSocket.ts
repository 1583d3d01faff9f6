import { applyChanges, type DashboardMessage } from '../../../protocol/classChanges';
import type { ClassSnapshot } from './types';

/**
 * The live dashboard feed for one class; reconnects (e.g. across a server restart) until closed.
 * The server sends one whole snapshot, then only the learner lines that changed; this keeps the
 * merged snapshot and hands it on with the ids that changed (null: everything may have).
 */
export class ClassSocket {
  private socket: WebSocket | undefined;
  private closed = false;
  private snapshot: ClassSnapshot | undefined;

  constructor(
    private readonly classId: string,
    private readonly onSnapshot: (snap: ClassSnapshot, changed: ReadonlySet<string> | null) => void,
    private readonly onState: (connected: boolean) => void,
  ) {
    this.connect();
  }

  private connect(): void {
    const ws = new WebSocket(
      `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/instructor/classes/${this.classId}`,
    );
    this.socket = ws;
    ws.addEventListener('open', () => this.onState(true));
    ws.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      const message = JSON.parse(event.data) as DashboardMessage;
      if (message.type === 'snapshot') {
        this.snapshot = message.data;
        this.onSnapshot(message.data, null);
      } else if (this.snapshot) {
        this.snapshot = applyChanges(this.snapshot, message.data);
        const changed = new Set([...message.data.learners.map((l) => l.id), ...message.data.removed]);
        this.onSnapshot(this.snapshot, message.data.class ? null : changed);
      }
    });
    ws.addEventListener('close', () => {
      this.snapshot = undefined;
      this.onState(false);
      if (!this.closed) setTimeout(() => !this.closed && this.connect(), 2000);
    });
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }
}
