import type { SessionView } from '../../protocol/sessionView';
import { TerminalClient } from '../../test/server/support/terminalClient';
import { api, guestCookie, wsUrl } from '../../test/server/support/testServer';

const PROMPT = /\]# $/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface StepsJson {
  steps: { id: string; state: { status: string; attempts: number } }[];
}

/** A guest learner driven only through the public HTTP API and the terminal protocol. */
export class BenchLearner {
  private constructor(
    readonly base: string,
    readonly cookie: string,
    readonly session: SessionView,
    /** Milliseconds from pressing Start to a ready lab. */
    readonly startMs: number,
  ) {}

  static async start(base: string, labId: string): Promise<BenchLearner> {
    const cookie = await guestCookie(base);
    const begin = performance.now();
    const res = await api(base, `/api/labs/${labId}/sessions`, { method: 'POST', cookie });
    if (res.status !== 201) throw new Error(`lab did not start: HTTP ${res.status} ${JSON.stringify(res.json)}`);
    let session = res.json as SessionView;
    while (session.status !== 'ready') {
      await sleep(100);
      session = (await api(base, `/api/sessions/${session.id}`, { cookie })).json as SessionView;
    }
    return new BenchLearner(base, cookie, session, performance.now() - begin);
  }

  async terminal(machineId: string): Promise<TerminalClient> {
    const url = this.session.machines.find((m) => m.id === machineId)?.terminalUrl ?? '';
    const term = TerminalClient.connect(wsUrl(this.base, url), { cookie: this.cookie, origin: this.base });
    await term.opened;
    term.hello(120, 40);
    await term.waitFor(PROMPT, 30_000);
    return term;
  }

  /** Types a line at `keyGapMs` per key, presses Enter and waits for the next prompt. */
  async typeLine(term: TerminalClient, line: string, keyGapMs: number): Promise<void> {
    for (const key of line) {
      term.input(key);
      await sleep(keyGapMs);
    }
    const from = term.position;
    term.input('\r');
    await term.waitFor(PROMPT, 60_000, from);
  }

  async stepState(stepId: string): Promise<{ status: string; attempts: number } | undefined> {
    const res = await api(this.base, `/api/sessions/${this.session.id}/steps`, { cookie: this.cookie });
    return (res.json as StepsJson).steps.find((s) => s.id === stepId)?.state;
  }

  /**
   * Milliseconds until the step's verdict on the learner's page changes from `before` (polled
   * every 100 ms; the page itself polls every 3 s); undefined if it has not within `timeoutMs`.
   */
  async verdictAfter(
    stepId: string,
    before: { status: string; attempts: number } | undefined,
    since: number,
    timeoutMs = 30_000,
  ): Promise<number | undefined> {
    while (performance.now() - since < timeoutMs) {
      const now = await this.stepState(stepId);
      if (now && (now.attempts !== (before?.attempts ?? 0) || now.status !== before?.status))
        return performance.now() - since;
      await sleep(100);
    }
    return undefined;
  }
}
