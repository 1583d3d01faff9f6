import type { Phase, PhaseSpan } from '../../server/runtime/docker/phaseClock';
import { median, ms } from '../stats';

/** One phase within one timed operation: when it first began and last ended, from the operation's start. */
interface PhaseWindow {
  from: number;
  to: number;
}

/**
 * Collects the runtime's phase reports (DockerRuntimeOptions.phases) and, per kind of operation
 * (cold start, reset, resume), where each phase sat in the operation's time: from its first
 * start to its last end over the lab's machines, from the moment the operation was asked for.
 */
export class PhaseRecorder {
  private readonly spans: PhaseSpan[] = [];
  private readonly windows = new Map<string, Map<Phase, PhaseWindow>[]>();
  readonly listener = (span: PhaseSpan): void => {
    this.spans.push(span);
  };

  /** Files the phases `deploymentId` reported since `t0` under `kind`, with `ready` as the end, and forgets them. */
  record(
    kind: string,
    deploymentId: string,
    t0: number,
    ready: number,
    extra: Partial<Record<string, number>> = {},
  ): void {
    const phases = new Map<Phase, PhaseWindow>();
    for (const s of this.spans) {
      if (s.deploymentId !== deploymentId || s.start < t0) continue;
      const w = phases.get(s.phase);
      phases.set(s.phase, {
        from: Math.min(w?.from ?? Infinity, s.start - t0),
        to: Math.max(w?.to ?? -Infinity, s.end - t0),
      });
    }
    phases.set('READY' as Phase, { from: 0, to: ready });
    for (const [name, to] of Object.entries(extra)) if (to !== undefined) phases.set(name as Phase, { from: 0, to });
    this.spans.length = 0;
    const list = this.windows.get(kind) ?? [];
    list.push(phases);
    this.windows.set(kind, list);
  }

  /** "phase +from→to" medians, in the order phases begin. */
  summary(kind: string): string {
    const list = this.windows.get(kind) ?? [];
    const names = new Set(list.flatMap((m) => [...m.keys()]));
    const rows = [...names].map((name) => {
      const ws = list.map((m) => m.get(name)).filter((w): w is PhaseWindow => w !== undefined);
      return { name, from: median(ws.map((w) => w.from)), to: median(ws.map((w) => w.to)) };
    });
    rows.sort((a, b) => a.from - b.from || a.to - b.to);
    return rows.map((r) => `${r.name} ${ms(r.from)}→${ms(r.to)}`).join(', ');
  }
}
