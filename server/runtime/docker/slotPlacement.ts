import type { Placement } from '../LabRuntime';

/** Docker's placement is the address slot's number; anything else was not made by this runtime. */
export function slotNumber(placement: Placement): number {
  const n = typeof placement === 'number' ? placement : Number(placement);
  if (!Number.isInteger(n)) throw new Error(`not an address slot: ${String(placement)}`);
  return n;
}
