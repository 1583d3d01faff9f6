import { z } from 'zod';
import { Limits } from '../../protocol/terminal';
import type { TerminalSize } from '../runtime/LabRuntime';

/** Terminal sizes from the client: whole numbers inside limits a real screen can have. */
export const sizeSchema: z.ZodType<TerminalSize> = z.object({
  cols: z.number().int().min(Limits.minCols).max(Limits.maxCols),
  rows: z.number().int().min(Limits.minRows).max(Limits.maxRows),
});

export const helloSchema = sizeSchema;

/** Parses a JSON payload against a schema; returns a human-readable error instead of throwing. */
export function parseJsonPayload<T>(
  schema: z.ZodType<T>,
  payload: Buffer,
): { ok: true; value: T } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return { ok: false, error: 'payload is not valid JSON' };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`);
  return { ok: false, error: issues.join('; ') };
}
