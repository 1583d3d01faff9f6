import { z } from 'zod';

/**
 * A learner's chosen name: trimmed, 1-40 characters, no control characters. Anything else
 * (markup, quotes, formula prefixes) is kept as typed and escaped where it is shown.
 */
export const displayNameSchema = z
  .string()
  .transform((s) => s.normalize('NFC').trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, 'Please enter your name')
      .max(40, 'Names are at most 40 characters')

      .refine(
        (s) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(s),
        'The name contains invisible control characters',
      ),
  );
