import type { Topology } from '../../labkit/topology';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import type { EndReason, LabSession, LabSessionEvent } from './labSessionTypes';
import type { Log } from '../log/Log';

/** What the parts of a session's life (sleep and wake, reset) need from the session table. */
export interface SessionHost {
  runtime: LabRuntime;
  topology: (labId: string) => Topology | undefined;
  session: (id: string) => LabSession | undefined;
  whenReady: (id: string) => Promise<LabDeployment>;
  /** What whenReady(id) answers from now on. */
  setReady: (id: string, ready: Promise<LabDeployment>) => void;
  /** Whether one more lab may run (sleeping labs do not count). */
  hasRoom: () => boolean;
  touch: (id: string) => void;
  emit: (event: LabSessionEvent) => void;
  end: (id: string, reason: EndReason) => Promise<void>;
  maxAgeMs: number | undefined;
  /** Runs a lab creation or wake when the host's start queue gives it its turn. */
  startInTurn: <T>(work: () => Promise<T>) => Promise<T>;
  log: Log;
}
