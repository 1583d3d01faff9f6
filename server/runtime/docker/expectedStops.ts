/** Containers the runtime is stopping or removing itself, so their death is no news. */
export class ExpectedStops {
  private readonly ids = new Set<string>();

  has(containerId: string): boolean {
    return this.ids.has(containerId);
  }

  /** Runs `action`, during which (and a little after: events arrive late) the container's death is expected. */
  async during<T>(containerId: string, action: () => Promise<T>): Promise<T> {
    this.ids.add(containerId);
    try {
      return await action();
    } finally {
      setTimeout(() => this.ids.delete(containerId), 5000).unref();
    }
  }
}
