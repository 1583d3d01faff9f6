/**
 * Close codes. 4xxx are ours; the client reconnects only when `shouldReconnect` says so,
 * because retrying an unauthorised or unknown terminal can never succeed.
 */
export const CloseCode = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  ABNORMAL: 1006,
  TOO_BIG: 1009,
  SERVER_ERROR: 1011,
  PROTOCOL: 4000,
  UNAUTHORIZED: 4001,
  /** Unknown lab or machine, or a lab that is not yours: deliberately the same code. */
  NOT_FOUND: 4004,
  LAB_ENDED: 4008,
  /** The same terminal was opened elsewhere (another tab); this one yields. */
  REPLACED: 4009,
  /** The shell exited (e.g. `exit`); reconnecting opens a fresh shell. */
  SHELL_EXITED: 4010,
  /** The lab is being reset; reconnect to get the fresh machine's shell. */
  LAB_RESET: 4011,
  /** A machine stopped behind the server's back; the reason says what to do (reset). No reconnect until the lab recovers. */
  MACHINE_STOPPED: 4012,
  /** The lab went to sleep (idle, or the Sleep button); Resume boots it and terminals open again. */
  LAB_ASLEEP: 4013,
  /** A read-only view (dashboard terminal, Firewall view) fell too far behind; a fresh connection catches up. */
  FELL_BEHIND: 4014,
} as const;

export function shouldReconnect(code: number): boolean {
  return (
    code === CloseCode.GOING_AWAY ||
    code === CloseCode.ABNORMAL ||
    code === CloseCode.SERVER_ERROR ||
    code === CloseCode.LAB_RESET ||
    code === CloseCode.FELL_BEHIND
  );
}
