import type { Topology } from '../../labkit/topology';
import type { LabRuntime } from '../runtime/LabRuntime';

/** What sleep, wake and reset need besides the session table: the platform, and room on it. */
export interface SessionMachines {
  runtime: LabRuntime;
  topology: (labId: string) => Topology | undefined;
  /** Whether one more lab may run (sleeping labs do not count). */
  hasRoom: () => boolean;
  /** Runs a lab creation or wake when the host's start queue gives it its turn. */
  startInTurn: <T>(work: () => Promise<T>) => Promise<T>;
  maxAgeMs: number | undefined;
}
