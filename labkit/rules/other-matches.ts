/**
 * Generic matches the model keeps as text (`-m iprange --src-range a-b`) but can still evaluate
 * exactly. Anything else stays an assumption of the evaluator.
 */
import { parseIpv4 } from './address';

export interface AddressRange {
  /** Unsigned 32-bit numbers, both ends included. */
  first: number;
  last: number;
}

interface RangeCondition {
  field: 'src' | 'dst';
  range: AddressRange;
  negated: boolean;
}

const RANGE_OPTION = /(!\s+)?--(src|dst)-range\s+(\S+)/g;

/** The conditions of one `-m iprange` entry, or undefined when it is not one the model can read. */
function iprangeConditions(entry: string): RangeCondition[] | undefined {
  if (!/^-m iprange\b/.test(entry)) return undefined;
  const conditions: RangeCondition[] = [];
  let rest = entry.replace(/^-m iprange\b/, '');
  for (const m of entry.matchAll(RANGE_OPTION)) {
    const [from = '', to = from] = (m[3] ?? '').split('-');
    const first = parseIpv4(from);
    const last = parseIpv4(to);
    if (first === undefined || last === undefined) return undefined;
    conditions.push({ field: m[2] === 'src' ? 'src' : 'dst', range: { first, last }, negated: m[1] !== undefined });
    rest = rest.replace(m[0], '');
  }
  return conditions.length > 0 && rest.trim() === '' ? conditions : undefined;
}

/** Does a generic match entry match these addresses? undefined when the model cannot tell. */
export function otherMatchResult(entry: string, src: string, dst: string | undefined): boolean | undefined {
  const conditions = iprangeConditions(entry);
  if (!conditions) return undefined;
  for (const c of conditions) {
    const ip = c.field === 'src' ? parseIpv4(src) : dst === undefined ? undefined : parseIpv4(dst);
    const inside = ip !== undefined && ip >= c.range.first && ip <= c.range.last;
    if (inside === c.negated) return false;
  }
  return true;
}

/** The source ranges a generic match entry names (for splitting the address space). */
export function otherSourceRanges(entry: string): AddressRange[] {
  return (iprangeConditions(entry) ?? []).filter((c) => c.field === 'src').map((c) => c.range);
}
