import pino from 'pino';
import type { Log } from './Log';
import { RepeatFilter } from './RepeatFilter';

export type { Log, LogLevel } from './Log';

/**
 * JSON lines with an ISO timestamp and a level (pino). Warnings and errors that repeat, such as
 * a flood of bad WebSocket handshakes, are rate-limited per kind of message: the first few get
 * through, then one line says how many similar ones were left out.
 */
export function createLogger(destination: pino.DestinationStream = pino.destination(1)): {
  logger: pino.Logger;
  log: Log;
  close(): void;
} {
  const logger = pino({ base: { name: 'iptables-lab' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
  const repeats = new RepeatFilter((summary, level) => logger[level](summary));
  const log: Log = (message, level = 'info') => {
    if (level !== 'info' && !repeats.allow(message, level)) return;
    logger[level](message);
  };
  return { logger, log, close: () => repeats.close() };
}
