import type { ClientMessage, ServerMessage } from '../../../protocol/inspector';

/**
 * The Firewall view's live channel. Open only while the view is shown (the server reads the
 * machine only while someone looks); reconnects after drops while it is wanted.
 */
export class InspectorSocket {
  private ws: WebSocket | undefined;
  private wanted = false;
  private retry: number | undefined;

  constructor(
    private readonly url: string,
    private readonly onMessage: (message: ServerMessage) => void,
    private readonly onState: (state: 'open' | 'closed', reason?: string) => void,
  ) {}

  open(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.connect();
  }

  close(): void {
    this.wanted = false;
    window.clearTimeout(this.retry);
    this.ws?.close(1000, 'view closed');
    this.ws = undefined;
  }

  send(message: ClientMessage): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  private connect(): void {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener('open', () => this.onState('open'));
    ws.addEventListener('message', (event) => {
      if (typeof event.data !== 'string') return;
      try {
        this.onMessage(JSON.parse(event.data) as ServerMessage);
      } catch {
        // A frame we cannot read is skipped; the next snapshot replaces it anyway.
      }
    });
    ws.addEventListener('close', (event) => {
      if (this.ws !== ws) return;
      this.onState('closed', event.reason);
      // 4001 not signed in, 4004 not yours, 4008 ended: retrying cannot help.
      if (this.wanted && ![4001, 4004, 4008].includes(event.code))
        this.retry = window.setTimeout(() => this.wanted && this.connect(), 2000);
    });
  }
}
