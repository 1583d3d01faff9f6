/**
 * The server's one `upgrade` listener. Every WebSocket goes through the same steps, in order:
 * the route table (404 for a path no route has), the Origin (403: cross-site WebSocket
 * hijacking), who is asking (the route's kind: learner or instructor), then the route's own
 * handler. Whatever any step throws ends in wsErrorHandler, the one place a refused upgrade
 * becomes an HTTP status line; nothing thrown here can take the server down.
 */
import type http from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { hostRewrittenHint, originAllowed, vouchedByBrowser } from '../auth/origin';
import { viaTrustedProxy, type TrustProxy } from '../http/clientAddress';
import { HttpError } from '../http/HttpError';
import type { Log } from '../log/Log';
import { refuseUpgrade } from './refuseUpgrade';
import { WsCloseError, type Accept, type Identify, type WsRoute } from './wsRoute';
import { errorDetail } from '../log/errorMessage';

export interface UpgradeDeps {
  allowedOrigins: readonly string[];
  /** TRUST_PROXY, compiled: behind it a browser's Sec-Fetch-Site may stand for a rewritten Host. */
  trustProxy?: TrustProxy;
  identify: Identify;
  log: Log;
}

export interface UpgradeDispatcher {
  /** Closes every open socket with 1001 (going away), so pages reconnect to the next server. */
  close(): void;
}

export function attachUpgradeDispatcher(
  server: http.Server,
  routes: readonly WsRoute[],
  deps: UpgradeDeps,
): UpgradeDispatcher {
  const servers = new Map<number, WebSocketServer>();
  const serverFor = (maxPayload: number): WebSocketServer => {
    let wss = servers.get(maxPayload);
    if (!wss) {
      wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false });
      // A request that is no valid WebSocket handshake (no key, wrong version): 400, and a line
      // in the log (which repeats of the same line do not flood).
      wss.on('wsClientError', (error, socket) => {
        deps.log(`bad WebSocket handshake: ${error.message}`, 'warn');
        refuseUpgrade(socket, 400, { code: 'bad_request', message: 'Not a valid WebSocket handshake' });
      });
      servers.set(maxPayload, wss);
    }
    return wss;
  };

  /** Node's upgrade event: the request, its socket and the first bytes after the headers. */
  type Upgrade = { req: http.IncomingMessage; socket: Duplex; head: Buffer };
  const upgrade = ({ req, socket, head }: Upgrade, route: WsRoute, accept: Accept): void => {
    serverFor(route.maxPayload).handleUpgrade(req, socket, head, (ws) => {
      // Keystrokes and echoes are tiny frames: send each at once.
      if (socket instanceof Socket) socket.setNoDelay(true);
      ws.on('error', (error) => deps.log(`WebSocket ${route.path}: ${error.message}`, 'warn'));
      try {
        accept(ws);
      } catch (error) {
        wsErrorHandler(error, { socket, ws, log: deps.log });
      }
    });
  };

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    let found: ReturnType<typeof routeFor> | undefined;
    try {
      found = routeFor(routes, pathOf(req.url));
      if (!originAllowed(req.headers.origin, req.headers.host, deps.allowedOrigins)) {
        const proxied = deps.trustProxy !== undefined && viaTrustedProxy(req, deps.trustProxy);
        if (!vouchedByBrowser(req.headers['sec-fetch-site'], proxied)) {
          if (proxied && req.headers.origin) deps.log(hostRewrittenHint(req.headers.origin, req.headers.host), 'warn');
          throw new HttpError(403, 'WebSockets from another site are refused');
        }
      }
      upgrade({ req, socket, head }, found.route, found.open(req, deps.identify));
    } catch (error) {
      if (error instanceof WsCloseError && found) {
        const { code, reason } = error;
        upgrade({ req, socket, head }, found.route, (ws) => ws.close(code, reason));
        return;
      }
      wsErrorHandler(error, { socket, log: deps.log });
    }
  });

  return {
    close() {
      for (const wss of servers.values())
        for (const client of wss.clients) client.close(1001, 'The server is shutting down');
    },
  };
}

/**
 * The one final error handler for WebSockets. Before the upgrade: an HttpError's status and
 * message, anything else a logged 500. After it (a handler that threw on an open socket): 1011.
 */
export function wsErrorHandler(error: unknown, target: { socket: Duplex; ws?: WebSocket; log: Log }): void {
  const expected = error instanceof HttpError;
  if (!expected) target.log(`WebSocket error: ${errorDetail(error)}`, 'error');
  if (target.ws) {
    target.ws.close(1011, 'Something went wrong on the server');
    return;
  }
  if (expected) refuseUpgrade(target.socket, error.status, { code: error.code, message: error.message }, error.headers);
  else refuseUpgrade(target.socket, 500, { code: 'internal', message: 'Something went wrong on the server' });
}

function routeFor(
  routes: readonly WsRoute[],
  pathname: string,
): { route: WsRoute; open: NonNullable<ReturnType<WsRoute['match']>> } {
  for (const route of routes) {
    const open = route.match(pathname);
    if (open) return { route, open };
  }
  throw new HttpError(404, 'No WebSocket here');
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    throw new HttpError(400, 'Not a valid request path');
  }
}
