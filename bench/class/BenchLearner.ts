import WebSocket from 'ws';
import type { SessionEvent } from '../../protocol/sessionEvents';
import type { SessionView } from '../../protocol/sessionView';
import { TerminalClient } from '../../test/server/support/terminalClient';
import { api, guestCookie, wsUrl } from '../../test/server/support/testServer';

const PROMPT = /\]# $/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A verdict as the learner's page gets it, with the server's time the check finished (epoch ms). */
export interface SeenVerdict {
  stepId: string;
  passed: boolean;
  checkedAt: number;
  /** performance.now() when it arrived. */
  arrived: number;
}

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
   * The lab page's event channel: resolves with the next verdict on `stepId` it carries (how the
   * page learns of an auto-check), or undefined after `timeoutMs`. Open it before the command.
   */
  async nextVerdict(stepId: string, timeoutMs = 30_000): Promise<() => Promise<SeenVerdict | undefined>> {
    const ws = new WebSocket(wsUrl(this.base, this.session.links.events), {
      headers: { cookie: this.cookie, origin: this.base },
    });
    let seen: SeenVerdict | undefined;
    let settle: (() => void) | undefined;
    ws.on('message', (data) => {
      const event = JSON.parse((data as Buffer).toString()) as SessionEvent;
      if (event.type !== 'verdict' || event.verdict.stepId !== stepId || seen) return;
      seen = { stepId, passed: event.verdict.passed, checkedAt: event.verdict.at, arrived: performance.now() };
      settle?.();
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return async () => {
      if (!seen) {
        await new Promise<void>((resolve) => {
          settle = resolve;
          setTimeout(resolve, timeoutMs);
        });
      }
      ws.close();
      return seen;
    };
  }
}
