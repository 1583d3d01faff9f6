/**
 * What went wrong, for the status line: an Error's message, anything else as a string. The page's
 * own copy of the server's helper (server/log/errorMessage.ts), since the page never imports server/.
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
