import { randomBytes } from 'node:crypto';

/** Lab session ids double as Docker name parts: lowercase alphanumerics, unguessable. */
export function newLabSessionId(): string {
  return randomBytes(10).toString('hex');
}
