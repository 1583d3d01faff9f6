/**
 * Where a lab's start goes: each phase of creating, resetting or waking a deployment is reported
 * with its start and end (performance.now()), so a benchmark can say which phase the time is
 * spent in. Several machines run the same phase at once; a listener sees each of them.
 */
export type Phase =
  /** Choosing an address slot and getting its networks (made, or a spare). */
  | 'slot'
  /** The machine's capped disk: image made, formatted and mounted, with the machine's /etc files. */
  | 'disk'
  /** The container's writable layer moved onto its disk, before the first start. */
  | 'layer'
  /** Docker creating the container. */
  | 'create'
  /** Attaching the container to its further networks. */
  | 'connect'
  /** Docker starting the container. */
  | 'start'
  /** From the start to the boot script's ready marker. */
  | 'boot'
  /** The previous machines (a reset's) removed. */
  | 'remove'
  /** The learner shell's dtach master started. */
  | 'shell';

export interface PhaseSpan {
  deploymentId: string;
  phase: Phase;
  start: number;
  end: number;
}

export type PhaseListener = (span: PhaseSpan) => void;

/** Times `work` as `phase` of a deployment, for the listener if any; failures are not reported. */
export type PhaseClock = <T>(phase: Phase, work: () => Promise<T>) => Promise<T>;

export function phaseClock(deploymentId: string, listener: PhaseListener | undefined): PhaseClock {
  return async (phase, work) => {
    if (!listener) return work();
    const start = performance.now();
    const result = await work();
    listener({ deploymentId, phase, start, end: performance.now() });
    return result;
  };
}

/** No listener: the work only. */
export const untimed: PhaseClock = (_phase, work) => work();
