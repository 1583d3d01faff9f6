/** Every lab this server offers. Add a lab by importing its module here (see README "Writing a lab"). */
import { singleServerLab } from './iptables-single-server';
import type { LabModule } from './types';

export const labs: readonly LabModule[] = [singleServerLab];

export function getLab(id: string): LabModule | undefined {
  return labs.find((lab) => lab.id === id);
}
