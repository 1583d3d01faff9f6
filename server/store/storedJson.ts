/**
 * JSON the store wrote itself is still read back as untrusted: a file edited by hand, or written
 * by an older or newer server, must give a clear "unreadable" rather than a wrong value.
 */
import { z } from 'zod';
import type { LabDeployment } from '../../labkit/deployment';

// Loose objects: a field a newer server added survives being read and written back by this one.
const labNetwork = z.looseObject({ id: z.string(), label: z.string(), subnet: z.string() });
const labMachine = z.looseObject({
  id: z.string(),
  label: z.string(),
  hostname: z.string(),
  addresses: z.record(z.string(), z.string()),
  ref: z.string(),
});

const labDeployment = z.looseObject({
  deploymentId: z.string(),
  slot: z.union([z.number().int(), z.string()]),
  networks: z.array(labNetwork),
  machines: z.array(labMachine),
  createdAt: z.number(),
});

/** A deployment as stored; one written before the rename names its id `labSessionId`. */
export const labDeploymentSchema: z.ZodType<LabDeployment> = z.preprocess(
  (value) =>
    typeof value === 'object' && value !== null && !('deploymentId' in value) && 'labSessionId' in value
      ? renamed(value as Record<string, unknown>)
      : value,
  labDeployment,
);

function renamed({ labSessionId, ...rest }: Record<string, unknown>): Record<string, unknown> {
  return { ...rest, deploymentId: labSessionId };
}

/** A lab event's details: any JSON object. */
export const eventDetailSchema = z.record(z.string(), z.unknown());

/** The stored value, or undefined when it is not JSON or not of the expected shape. */
export function readStoredJson<T>(schema: z.ZodType<T>, text: string): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
