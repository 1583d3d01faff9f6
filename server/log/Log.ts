export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The one logging function the server's parts receive: a message, and its level (info unless
 * said). createLogger backs it with pino; a test passes a capturing one, `(m) => lines.push(m)`,
 * or silentLog.
 */
export type Log = (message: string, level?: LogLevel) => void;

/** Says nothing: for tests and tools with no log to keep. */
export const silentLog: Log = () => undefined;
