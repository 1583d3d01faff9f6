import pino from 'pino';
import type { Log, LogLevel } from './Log';
import { RepeatFilter } from './RepeatFilter';

export type { Log, LogLevel } from './Log';

/**
 * JSON lines with an ISO timestamp and a level (pino). Warnings and errors that repeat, such as
 * a flood of bad WebSocket handshakes, are rate-limited per kind of message: the first few get
 * through, then one line says how many similar ones were left out.
 */
export function createLogger(
  destination: pino.DestinationStream = pino.destination(1),
  /** The lowest level written; debug lines are left out unless asked for. */
  minLevel: LogLevel = 'info',
): {
  logger: pino.Logger;
  log: Log;
  /** Moves the lowest level written, once the configuration (LOG_LEVEL) is known. */
  setLevel(level: LogLevel): void;
  close(): void;
} {
  const logger = pino(
    { level: minLevel, base: { name: 'iptables-lab' }, timestamp: pino.stdTimeFunctions.isoTime },
    destination,
  );
  const repeats = new RepeatFilter((summary, level) => logger[level](summary));
  const log: Log = (message, level = 'info') => {
    if ((level === 'warn' || level === 'error') && !repeats.allow(message, level)) return;
    logger[level](message);
  };
  return {
    logger,
    log,
    setLevel: (level) => {
      logger.level = level;
    },
    close: () => repeats.close(),
  };
}
