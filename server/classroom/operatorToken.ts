import { createHmac } from 'node:crypto';

/**
 * A class's grade-run credential for tools on the server itself (`npm run grade`): derived from
 * the cookie secret in DATA_DIR, so whoever may read the data directory may grade, while the
 * database keeps only hashes of the instructor-facing API tokens.
 */
export function operatorToken(cookieSecret: string, classId: string): string {
  return `op.${createHmac('sha256', cookieSecret).update(`grade-run:${classId}`).digest('base64url')}`;
}
