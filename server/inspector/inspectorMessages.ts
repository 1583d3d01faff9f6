/** Validates what a page sends on the inspector socket. */
import { z } from 'zod';
import type { ClientMessage } from '../../protocol/inspector';
import { TRACE_MAX_PACKETS } from '../../protocol/inspector';

const from = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9.-]+$/, 'a machine name or an IPv4 address');
const protocol = z.enum(['tcp', 'udp', 'icmp']);
const port = z.number().int().min(1).max(65535);

const schema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('whatIf'),
    id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    query: z.object({
      from,
      to: z.string().max(15),
      protocol,
      port: port.optional(),
      state: z.enum(['NEW', 'ESTABLISHED']),
    }),
  }),
  z.object({
    type: z.literal('traceStart'),
    filter: z.object({
      from: from.optional(),
      protocol: protocol.optional(),
      port: port.optional(),
      packets: z.number().int().min(1).max(TRACE_MAX_PACKETS),
    }),
  }),
  z.object({ type: z.literal('traceStop') }),
]);

export function parseClientMessage(text: string): ClientMessage | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    return { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ') };
  return parsed.data;
}
