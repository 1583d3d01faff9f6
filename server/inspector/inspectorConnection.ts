/** One open Firewall view: JSON both ways over a WebSocket, joined to its lab's FirewallWatch. */
import { errorMessage } from '../log/errorMessage';
import type { RawData, WebSocket } from 'ws';
import type { FirewallWatches } from './FirewallWatches';
import type { ServerMessage } from '../../protocol/inspector';
import { parseClientMessage } from './inspectorMessages';
import { CloseCode } from '../../protocol/terminal';

/** A view this far behind is closed rather than buffered: it must never cost the terminals. */
const MAX_BUFFERED = 1024 * 1024;

export function acceptInspector(ws: WebSocket, sessionId: string, machineId: string, watches: FirewallWatches): void {
  const send = (message: ServerMessage): void => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED) {
      ws.close(CloseCode.FELL_BEHIND, 'The view fell too far behind; catching up');
      return;
    }
    ws.send(JSON.stringify(message));
  };
  const { watch, leave } = watches.join(sessionId, machineId, send);
  ws.on('close', leave);
  ws.on('message', (data, isBinary) => {
    const message = isBinary ? { error: 'binary frames are not used here' } : parseClientMessage(frameText(data));
    if ('error' in message) {
      send({ type: 'error', message: `Bad request: ${message.error}` });
      return;
    }
    const current = watch();
    if (!current) {
      send({ type: 'error', message: 'The lab is not ready.' });
      return;
    }
    try {
      if (message.type === 'whatIf') current.whatIf(message.id, message.query, send);
      else if (message.type === 'traceStart') current.startTrace(message.filter);
      else current.stopTrace();
    } catch (error) {
      send({ type: 'error', message: errorMessage(error) });
    }
  });
}

function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString();
  return data instanceof ArrayBuffer ? Buffer.from(data).toString() : data.toString();
}
