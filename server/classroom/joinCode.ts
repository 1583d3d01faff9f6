import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * 32 symbols without look-alikes (no 0/O, 1/I). 32 divides 256, so `byte % 32` is uniform.
 * 8 symbols = 40 bits: with joins rate-limited per IP, guessing a live code is hopeless.
 */
export const JOIN_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const JOIN_CODE_LENGTH = 8;

export function newJoinCode(): string {
  const bytes = randomBytes(JOIN_CODE_LENGTH);
  let code = '';
  for (const byte of bytes) code += JOIN_ALPHABET.charAt(byte % JOIN_ALPHABET.length);
  return code;
}

/** What people type: any case, with spaces or dashes. */
export const joinCodeSchema = z
  .string()
  .max(32)
  .transform((raw) => raw.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(new RegExp(`^[${JOIN_ALPHABET}]{${JOIN_CODE_LENGTH}}$`), 'Not a valid join code'));
