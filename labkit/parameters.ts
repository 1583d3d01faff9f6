/**
 * Per-learner parameters: values a lab draws for each learner (a service's port, a subnet...), so
 * that two learners of one class cannot copy each other's answers. The server seeds the draw from
 * the learner and the lab (an HMAC with its secret), so the values stay the same across resets,
 * wakes and restarts, and no learner can predict another's.
 */
import { createHmac } from 'node:crypto';

export type ParameterSpec =
  /** A TCP/UDP port in [min, max], never one of `avoid` (ports the machines already use). */
  | { kind: 'port'; min: number; max: number; avoid?: readonly number[] }
  /** One of a list of values. */
  | { kind: 'choice'; values: readonly string[] };

/** A lab's parameters by name, e.g. { agentPort: '7412' }. */
export type LabParameters = Readonly<Record<string, string>>;

/** A number in [0, n) from the seed and the parameter's name: each parameter is drawn on its own. */
function uniform(seed: string, name: string, n: number, attempt: number): number {
  const digest = createHmac('sha256', seed).update(`${name}\0${attempt}`).digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(n));
}

function drawOne(seed: string, name: string, spec: ParameterSpec): string {
  if (spec.kind === 'choice') {
    if (spec.values.length === 0) throw new Error(`parameter ${name}: no values to choose from`);
    return spec.values[uniform(seed, name, spec.values.length, 0)] as string;
  }
  const size = spec.max - spec.min + 1;
  if (!Number.isInteger(spec.min) || !Number.isInteger(spec.max) || size < 1 || spec.min < 1 || spec.max > 65535)
    throw new Error(`parameter ${name}: bad port range ${spec.min}-${spec.max}`);
  for (let attempt = 0; attempt < 64; attempt++) {
    const port = spec.min + uniform(seed, name, size, attempt);
    if (!spec.avoid?.includes(port)) return String(port);
  }
  throw new Error(`parameter ${name}: no free port in ${spec.min}-${spec.max}`);
}

/** The same seed always draws the same values. */
export function drawParameters(specs: Readonly<Record<string, ParameterSpec>>, seed: string): LabParameters {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, drawOne(seed, name, spec)]));
}

/** The seed of one learner's parameters for one lab: only the holder of `secret` can compute it. */
export function learnerSeed(secret: string, learnerId: string, labId: string): string {
  return createHmac('sha256', secret).update(`lab-parameters\0${learnerId}\0${labId}`).digest('hex');
}
