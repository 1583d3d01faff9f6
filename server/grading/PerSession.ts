/** Work per lab session, one at a time in the order asked: a session's checks never overlap (their probes would). */
export class PerSession {
  private readonly queues = new Map<string, Promise<unknown>>();

  run<T>(labSessionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(labSessionId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    this.queues.set(labSessionId, settled);
    void settled.then(() => {
      if (this.queues.get(labSessionId) === settled) this.queues.delete(labSessionId);
    });
    return next;
  }
}
