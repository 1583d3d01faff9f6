/**
 * Whether the packet tap has handed over what crossed the bridges up to a moment. Packets reach
 * the server through one NFLOG group and one tcpdump, in order, each as it crosses; a loaded
 * host can still keep them in that pipe a while. A check that reads packets waits here (and
 * only such a check): until the tap delivered a packet the kernel stamped at or after the
 * moment (all before it have arrived), or the tap has been quiet for QUIET_MS, at most MAX_WAIT_MS.
 */
const QUIET_MS = 100;
const MAX_WAIT_MS = 1_000;

export class TapQuiet {
  private running = false;
  private lastArrival = 0;
  private lastStamp = 0;

  /** The tap started: from now on packets may be in its pipe. */
  started(): void {
    this.running = true;
  }

  /** A packet arrived from the tap (any lab's), with the kernel's time of it. */
  delivered(stampedAt: number): void {
    this.lastArrival = Date.now();
    this.lastStamp = Math.max(this.lastStamp, stampedAt);
  }

  async caughtUp(since: number): Promise<void> {
    if (!this.running) return;
    const deadline = Date.now() + MAX_WAIT_MS;
    for (;;) {
      const now = Date.now();
      const quietFor = now - this.lastArrival;
      if (this.lastStamp >= since || quietFor >= QUIET_MS || now >= deadline) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(QUIET_MS - quietFor, deadline - now)));
    }
  }
}
