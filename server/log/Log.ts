export type LogLevel = 'info' | 'warn' | 'error';
/** The one logging function the server's parts receive: a message, and its level (info unless said). */
export type Log = (message: string, level?: LogLevel) => void;
