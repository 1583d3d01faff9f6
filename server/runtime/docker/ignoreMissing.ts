/** For removals: what is already gone is fine; any other Docker error is not. */
export function ignoreMissing(error: unknown): void {
  if (isMissing(error)) return;
  throw error;
}

export function isMissing(error: unknown): boolean {
  if ((error as { statusCode?: number } | undefined)?.statusCode === 404) return true;
  return error instanceof Error && /no such|not found|404/i.test(error.message);
}
