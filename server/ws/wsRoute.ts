/**
 * One row of the WebSocket route table (see upgradeDispatcher.ts): a path pattern, who may ask,
 * and the handler. A handler runs before the upgrade and may refuse: throw an HttpError for a
 * plain HTTP status, or a WsCloseError to upgrade and close at once with a code the page can read.
 * It returns what to do with the socket once it is open.
 */
import type http from 'node:http';
import type { WebSocket } from 'ws';
import { HttpError } from '../http/HttpError';
import { decodeSegment } from './refuseUpgrade';
import { CloseCode } from '../../protocol/terminal';

/** Takes the socket once the upgrade is done. */
export type Accept = (ws: WebSocket) => void;

/** Who is asking, as the dispatcher reads it from the request's cookies. */
export interface Identify {
  /** The learner's id from a valid learner cookie, or undefined. */
  learner(req: http.IncomingMessage): string | undefined;
  /** True for a live instructor session cookie. */
  instructor(req: http.IncomingMessage): boolean;
}

export interface WsRoute {
  /** e.g. /ws/sessions/:sessionId/terminals/:machineId (each :name is one path segment). */
  readonly path: string;
  /** Largest frame the client may send; anything bigger closes the socket (1009). */
  readonly maxPayload: number;
  /** The handler bound to this pathname, or undefined when the pathname is not this route's. */
  match(pathname: string): ((req: http.IncomingMessage, identify: Identify) => Accept) | undefined;
}

/**
 * Thrown before the upgrade to refuse in a way the page can read: a browser never sees the HTTP
 * status of a refused upgrade, only a close code, so the socket is opened and closed at once.
 */
export class WsCloseError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'WsCloseError';
  }
}

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<Rest>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** The decoded path segments a pattern names ('' for one that is not valid percent-encoding). */
export type Params<P extends string> = Record<ParamNames<P>, string>;

interface Upgrade<P extends string> {
  params: Params<P>;
  req: http.IncomingMessage;
}

/**
 * A learner's socket. Without a valid learner cookie it opens and closes with 4001, so the page
 * can say "sign in" rather than retry.
 */
export function learnerSocket<P extends string>(
  path: P,
  maxPayload: number,
  open: (upgrade: Upgrade<P> & { learnerId: string }) => Accept,
): WsRoute {
  return route(path, maxPayload, (params, req, identify) => {
    const learnerId = identify.learner(req);
    if (!learnerId) throw new WsCloseError(CloseCode.UNAUTHORIZED, 'Not signed in');
    return open({ params, req, learnerId });
  });
}

/** An instructor's socket: no live instructor session is refused with HTTP 401 before the upgrade. */
export function instructorSocket<P extends string>(
  path: P,
  maxPayload: number,
  open: (upgrade: Upgrade<P>) => Accept,
): WsRoute {
  return route(path, maxPayload, (params, req, identify) => {
    if (!identify.instructor(req)) throw new HttpError(401, 'Instructor sign-in required');
    return open({ params, req });
  });
}

/** A route whose path pattern matched: `accept` checks who is asking and opens the socket. */
function route<P extends string>(
  path: P,
  maxPayload: number,
  accept: (params: Params<P>, req: http.IncomingMessage, identify: Identify) => Accept,
): WsRoute {
  const parse = compile(path);
  return {
    path,
    maxPayload,
    match(pathname) {
      const params = parse(pathname);
      return params && ((req, identify) => accept(params, req, identify));
    },
  };
}

function compile<P extends string>(path: P): (pathname: string) => Params<P> | undefined {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  const pattern = new RegExp(`^${source}$`);
  return (pathname) => {
    const match = pattern.exec(pathname);
    if (!match) return undefined;
    // The names are the pattern's own, so this record has exactly the keys Params<P> promises.
    return Object.fromEntries(names.map((name, i) => [name, decodeSegment(match[i + 1])])) as Params<P>;
  };
}
