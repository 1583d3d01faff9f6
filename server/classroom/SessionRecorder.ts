import { errorMessage } from '../log/errorMessage';
import type { SessionEventSnapshot } from '../sessions/labSessionTypes';
import type { Store } from '../store/Store';
import type { ClassroomChanges } from './ClassroomChanges';
import type { Log } from '../log/Log';

/**
 * Writes the life of every lab session to the store, from LabSessions' events: the learner, the
 * machines (addresses and container ids, so a restarted server can reattach), status changes,
 * the end, and an event log. Learner activity is flushed in batches, not per keystroke.
 */
export class SessionRecorder {
  /** Recorded sessions still live: their activity is flushed from `activityOf`. */
  private readonly live = new Map<string, string>();
  private readonly flushed = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: Store,
    private readonly changes: ClassroomChanges,
    private readonly log: Log,
    /** A live session's last activity now (events carry a snapshot; activity comes without one). */
    private readonly activityOf: (sessionId: string) => number | undefined,
  ) {}

  /** Starts flushing activity; the server hands it every session event (onEvent) until stop. */
  start(flushEveryMs = 10_000): void {
    this.timer = setInterval(() => this.flushActivity(), flushEveryMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.flushActivity();
  }

  /** Copies in-memory activity times to the store; cheap when nothing changed. */
  flushActivity(): void {
    const changed = [...this.live].flatMap(([id, learnerId]) => {
      const at = this.activityOf(id);
      return at === undefined || this.flushed.get(id) === at ? [] : [{ id, learnerId, at }];
    });
    if (changed.length === 0) return;
    try {
      this.store.transaction(() => {
        for (const s of changed) this.store.labSessions.touch(s.id, s.at);
      });
      for (const s of changed) {
        this.flushed.set(s.id, s.at);
        this.changes.notify(s.learnerId);
      }
    } catch (error) {
      this.log(`could not save learner activity: ${errorMessage(error)}`);
    }
  }

  onEvent(event: SessionEventSnapshot): void {
    const { session } = event;
    try {
      this.store.transaction(() => this.write(event));
    } catch (error) {
      this.log(`could not save lab session ${session.id} (${event.type}): ${errorMessage(error)}`);
    }
    this.changes.notify(session.learnerId);
  }

  private write(event: SessionEventSnapshot): void {
    const { session } = event;
    const repo = this.store.labSessions;
    switch (event.type) {
      case 'started': {
        // A session the store already knows was adopted after a restart.
        const reattached = repo.get(session.id) !== undefined;
        this.live.set(session.id, session.learnerId);
        this.store.learners.ensure(session.learnerId, 'Guest', session.createdAt);
        repo.insert({
          id: session.id,
          learnerId: session.learnerId,
          labId: session.labId,
          status: 'starting',
          createdAt: session.createdAt,
          lastActivity: session.lastActivityAt,
        });
        if (session.deployment)
          repo.setDeployment(session.id, session.deployment, session.status === 'sleeping' ? 'sleeping' : 'ready');
        // The maximum age counts from when the lab was ready, also after a restart.
        if (session.deployment && session.awakeSince !== undefined) repo.setAwake(session.id, session.awakeSince);
        this.store.events.record(session.id, reattached ? 'reattached' : 'started', {
          slot: session.deployment?.slot ?? null,
        });
        // Progress belongs to the learner: a new session of the same lab carries on their choices.
        const previous = reattached ? undefined : repo.previousOf(session.id)[0];
        if (previous) this.store.gradingChoices.inherit(previous.id, session.id);
        return;
      }
      case 'sleeping':
        repo.setSleptAt(session.id, session.sleptAt ?? Date.now());
        return;
      case 'slept':
        repo.setAsleep(session.id, session.sleptAt ?? Date.now(), session.awakeMs);
        this.store.events.record(session.id, 'slept', { reason: event.reason });
        return;
      case 'woken':
        if (session.deployment) repo.setDeployment(session.id, session.deployment, 'ready');
        repo.setAwake(session.id, session.awakeSince ?? Date.now());
        this.store.events.record(session.id, 'woken', { slot: session.deployment?.slot ?? null });
        return;
      case 'resetting':
        repo.setStatus(session.id, 'resetting');
        this.store.events.record(session.id, 'resetting', { by: event.by });
        return;
      case 'reset':
        if (session.deployment) repo.setDeployment(session.id, session.deployment, 'ready');
        if (session.awakeSince !== undefined) repo.setAwake(session.id, session.awakeSince);
        this.store.events.record(session.id, 'reset', { by: event.by, slot: session.deployment?.slot ?? null });
        return;
      case 'message':
        this.store.events.record(session.id, 'message', { text: event.text });
        return;
      case 'idle-warning':
      case 'age-warning':
        this.store.events.record(session.id, event.type);
        return;
      case 'ended':
        this.live.delete(session.id);
        this.flushed.delete(session.id);
        repo.touch(session.id, session.lastActivityAt);
        // A server shutting down keeps nothing running, but say why the lab went.
        repo.end(session.id, Date.now(), event.reason);
        this.store.events.record(session.id, 'ended', { reason: event.reason });
        return;
    }
  }
}
