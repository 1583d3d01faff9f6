import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Lab session ids double as Docker name parts: lowercase alphanumerics, unguessable. */
export function newSessionId(): string {
  return randomBytes(10).toString('hex');
}

/**
 * A deployment made before any session exists (the warm pool) gets an id of the same shape; one
 * made for a session is made under the session's id.
 */
export const newDeploymentId = newSessionId;

/** The one place the id's shape is written down: 20 lowercase hex digits. */
export const sessionIdSchema = z.string().regex(/^[a-f0-9]{20}$/, 'Not a lab session id');
