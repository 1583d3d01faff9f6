import type { ClassSnapshot } from './types';

/** The live dashboard feed for one class; reconnects (e.g. across a server restart) until closed. */
export class ClassSocket {
  private socket: WebSocket | undefined;
  private closed = false;

  constructor(
    private readonly classId: string,
    private readonly onSnapshot: (snap: ClassSnapshot) => void,
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
      const message = JSON.parse(event.data) as { type: string; data: ClassSnapshot };
      if (message.type === 'snapshot') this.onSnapshot(message.data);
    });
    ws.addEventListener('close', () => {
      this.onState(false);
      if (!this.closed) setTimeout(() => !this.closed && this.connect(), 2000);
    });
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }
}
