import { CloseCode } from '../../../protocol/terminal';
import type { SessionEvent } from '../../../protocol/sessionEvents';
import type { Disposable } from './disposable';

/**
 * The page's end of the session event channel: what happens to the lab (a reset by the learner
 * or the instructor, the end) arrives here the moment it happens. Reconnects after network
 * trouble or a server restart; stops for good once the lab is gone.
 */
export class SessionEvents implements Disposable {
  private ws: WebSocket | undefined;
  private retryTimer: number | undefined;
  private attempt = 0;
  private disposed = false;

  constructor(
    private readonly url: string,
    private readonly onEvent: (event: SessionEvent) => void,
    /** The server says this lab is not (or no longer) this learner's. */
    private readonly onGone: () => void,
  ) {
    this.connect();
  }

  dispose(): void {
    this.disposed = true;
    window.clearTimeout(this.retryTimer);
    this.ws?.close(CloseCode.NORMAL);
  }

  private connect(): void {
    if (this.disposed) return;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onmessage = (message: MessageEvent<unknown>) => {
      if (typeof message.data !== 'string') return;
      this.attempt = 0;
      this.onEvent(JSON.parse(message.data) as SessionEvent);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws || this.disposed) return;
      if (event.code === CloseCode.LAB_ENDED) return;
      if (event.code === CloseCode.NOT_FOUND || event.code === CloseCode.UNAUTHORIZED) {
        this.onGone();
        return;
      }
      const delay = Math.min(10_000, 500 * 2 ** this.attempt++);
      this.retryTimer = window.setTimeout(() => this.connect(), delay);
    };
  }
}
