import type { SessionView } from '../api';
import type { SessionEvent } from '../../../protocol/sessionEvents';
import type { StepsJson } from '../steps/stepsApi';

/** `before` is the session as it was before this event (to tell whether the machines moved). */
type Listener = (event: SessionEvent, before: SessionView) => void;

/**
 * The one copy of the lab session on the page. Everything the server pushes on the event socket
 * comes through `apply`: the session and the steps are updated first, then every part of the page
 * that listens (tabs, diagram, steps, banners, sleep and reset controls) is told what happened.
 * Buttons only send commands; what they change comes back here as an event.
 */
export class LabSessionState {
  private current: SessionView;
  private currentSteps: StepsJson | undefined;
  private readonly listeners = new Set<Listener>();

  constructor(session: SessionView) {
    this.current = session;
  }

  get session(): SessionView {
    return this.current;
  }

  get steps(): StepsJson | undefined {
    return this.currentSteps;
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  apply(event: SessionEvent): void {
    const before = this.current;
    if ('session' in event) this.current = event.session;
    if ('steps' in event) this.currentSteps = event.steps;
    for (const listener of this.listeners) listener(event, before);
  }
}

/** Whether two copies of the session put the machines at different addresses (the page must redraw them). */
export function machinesMoved(before: SessionView, after: SessionView): boolean {
  return JSON.stringify(before.machines) !== JSON.stringify(after.machines);
}
