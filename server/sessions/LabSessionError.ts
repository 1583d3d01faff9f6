/** What a caller can do about a refused session request; the HTTP layer maps `kind` to a status. */
export class LabSessionError extends Error {
  constructor(
    readonly kind: 'unknown-lab' | 'capacity' | 'not-found' | 'ended' | 'busy' | 'unsupported',
    message: string,
  ) {
    super(message);
  }
}
