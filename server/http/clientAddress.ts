import type { Request } from 'express';
import type { Log } from '../log/Log';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-real-ip'];

export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.has(address);
}

/** The request carries a proxy's forwarding headers. */
export function looksProxied(req: Request): boolean {
  return FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined);
}

/** Express's compiled TRUST_PROXY: is the peer at `address` a proxy we believe? */
export type TrustProxy = (address: string, hop: number) => boolean;

/** The app's compiled TRUST_PROXY ("trust proxy fn", which Express keeps beside "trust proxy"). */
export function trustProxyOf(app: { get(setting: string): unknown }): TrustProxy {
  const fn = app.get('trust proxy fn');
  return typeof fn === 'function' ? (fn as TrustProxy) : () => false;
}

/** This request reached us from a proxy named in TRUST_PROXY (not straight from the client). */
export function viaTrustedProxy(req: { socket: { remoteAddress?: string } }, trust: TrustProxy): boolean {
  const peer = req.socket.remoteAddress;
  return peer !== undefined && trust(peer, 0);
}

/** TRUST_PROXY is set: Express takes the client's address and scheme from the proxy's headers. */
export function proxyTrusted(req: Request): boolean {
  return Boolean(req.app.get('trust proxy'));
}

/**
 * The client is on this machine, for features offered only there (guest sign-in with
 * GUEST_ACCESS=local). With TRUST_PROXY the proxy says who the client is (req.ip). Without it,
 * a loopback request that carries forwarding headers came through a proxy nobody told us
 * about, so the real client is unknown: refused, with a log line naming the setting.
 */
export function fromThisMachine(req: Request, log: Log): boolean {
  if (proxyTrusted(req)) return isLoopbackAddress(req.ip);
  if (!isLoopbackAddress(req.socket.remoteAddress)) return false;
  if (!looksProxied(req)) return true;
  log(
    `refused a local-only request (${req.method} ${req.path}) that came through a reverse proxy: set TRUST_PROXY (e.g. TRUST_PROXY=loopback) so the server knows the real client`,
    'warn',
  );
  return false;
}

/**
 * Stricter, for the first-start instructor setup: a direct connection from this machine, never
 * through any proxy, trusted or not.
 */
export function directFromThisMachine(req: Request): boolean {
  return isLoopbackAddress(req.socket.remoteAddress) && !looksProxied(req);
}
