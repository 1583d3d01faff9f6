/**
 * A statement prepared on its first use and reused after: preparing a class-wide query costs about
 * as much as running it, and the dashboard runs the same few queries every few seconds.
 */
export function preparedOnce<T>(prepare: () => T): () => T {
  let statement: T | undefined;
  return () => (statement ??= prepare());
}
