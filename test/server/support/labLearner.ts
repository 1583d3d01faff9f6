import { expect } from 'vitest';
import type { SessionView } from '../../../protocol/sessionView';
import { TerminalClient } from './terminalClient';
import { api, guestCookie, wsUrl } from './testServer';

export interface StepJson {
  id: string;
  answers: Record<string, string>;
  hints: string[];
  state: { status: 'not-checked' | 'passed' | 'failed'; message?: string; attempts: number };
}

export interface StepsJson {
  autoCheck: boolean;
  currentStep: string | null;
  steps: StepJson[];
}

export const TOUR_ANSWERS = {
  jump: 'RH-Firewall-1-INPUT',
  last: 'It rejects everything else with icmp-host-prohibited',
};

/**
 * A guest learner with one lab of the single-server lab, driven only through the public HTTP API
 * and the terminal protocol, as the lab page does.
 */
export class LabLearner {
  private constructor(
    readonly base: string,
    readonly cookie: string,
    readonly session: SessionView,
  ) {}

  /** The learner whose cookie is given, in the lab session they already have (e.g. opened from an LMS). */
  static async resume(base: string, cookie: string, sessionId: string): Promise<LabLearner> {
    const res = await api(base, `/api/sessions/${sessionId}`, { cookie });
    if (res.status !== 200) throw new Error(`no lab session ${sessionId}: HTTP ${res.status}`);
    return new LabLearner(base, cookie, res.json as SessionView);
  }

  /** Starts the lab as a fresh guest, or as the learner whose cookie is given. */
  static async start(base: string, learnerCookie?: string): Promise<LabLearner> {
    const cookie = learnerCookie ?? (await guestCookie(base));
    const res = await api(base, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie });
    if (res.status !== 201) throw new Error(`lab did not start: HTTP ${res.status} ${JSON.stringify(res.json)}`);
    return new LabLearner(base, cookie, res.json as SessionView);
  }

  async steps(): Promise<StepsJson> {
    const res = await api(this.base, `/api/sessions/${this.session.id}/steps`, { cookie: this.cookie });
    if (res.status !== 200) throw new Error(`steps: HTTP ${res.status}`);
    return res.json as StepsJson;
  }

  async step(stepId: string): Promise<StepJson> {
    const found = (await this.steps()).steps.find((s) => s.id === stepId);
    if (!found) throw new Error(`no step ${stepId}`);
    return found;
  }

  async status(stepId: string): Promise<StepJson['state']['status']> {
    return (await this.step(stepId)).state.status;
  }

  /** Presses Check on a step (with answers for its questions, if any). */
  async check(stepId: string, answers?: Record<string, string>): Promise<{ passed: boolean; message: string }> {
    const res = await api(this.base, `/api/sessions/${this.session.id}/steps/${stepId}/check`, {
      method: 'POST',
      cookie: this.cookie,
      body: answers ? { answers } : {},
    });
    if (res.status !== 200) throw new Error(`check ${stepId}: HTTP ${res.status} ${JSON.stringify(res.json)}`);
    return res.json as { passed: boolean; message: string };
  }

  async setAutoCheck(enabled: boolean): Promise<unknown> {
    return (
      await api(this.base, `/api/sessions/${this.session.id}/auto-check`, {
        method: 'PUT',
        cookie: this.cookie,
        body: { enabled },
      })
    ).json;
  }

  async revealHint(stepId: string): Promise<string[]> {
    const res = await api(this.base, `/api/sessions/${this.session.id}/steps/${stepId}/hints`, {
      method: 'POST',
      cookie: this.cookie,
    });
    return (res.json as { hints: string[] }).hints;
  }

  /** Opens the machine's terminal and waits for the root prompt. */
  async terminal(machineId: string): Promise<TerminalClient> {
    const url = this.session.machines.find((m) => m.id === machineId)?.terminalUrl ?? '';
    const term = TerminalClient.connect(wsUrl(this.base, url), { cookie: this.cookie, origin: this.base });
    await term.opened;
    term.hello(120, 40);
    await expect.poll(() => term.ready !== undefined, { timeout: 15_000 }).toBe(true);
    await term.waitFor(/\]# $/, 15_000);
    return term;
  }
}

/** Types a command line and waits until the shell prints its next prompt (the command finished). */
export async function typeCommand(term: TerminalClient, line: string): Promise<void> {
  const from = term.position;
  term.input(`${line}\r`);
  await term.waitFor(/\]# $/, 15_000, from + line.length);
}

/** Polls for `ms` and fails as soon as `read` returns something other than `expected`. */
export async function staysFor<T>(ms: number, read: () => Promise<T>, expected: T): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    expect(await read()).toEqual(expected);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(await read()).toEqual(expected);
}
