import type { Duplex } from 'node:stream';

/** Answers a WebSocket upgrade with a plain HTTP status and closes, before any socket exists. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** A URL path segment, or '' when it is not valid percent-encoding (never throws). */
export function decodeSegment(part: string | undefined): string {
  try {
    return decodeURIComponent(part ?? '');
  } catch {
    return '';
  }
}
