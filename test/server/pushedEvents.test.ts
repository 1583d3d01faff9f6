import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SessionEvent } from '../../protocol/sessionEvents';
import { LabLearner, TOUR_ANSWERS } from './support/labLearner';
import { api, wsUrl, startTestServer } from './support/testServer';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/**
 * The lab page's event channel carries what the page shows, so the page never polls: the steps on
 * connect (a reconnect is a re-sync), every verdict with the steps it changed, and the steps again
 * after a reset. A second reset while one runs is refused.
 */
describe('the event channel with grading', () => {
  let server: Server;
  let learner: LabLearner;

  const listen = async (): Promise<{ events: SessionEvent[]; close: () => void }> => {
    const ws = new WebSocket(wsUrl(server.url, learner.session.links.events), {
      headers: { cookie: learner.cookie, origin: server.url },
    });
    const events: SessionEvent[] = [];
    ws.on('message', (data) => events.push(JSON.parse((data as Buffer).toString()) as SessionEvent));
    await expect.poll(() => events.length).toBeGreaterThan(1);
    return { events, close: () => ws.close() };
  };

  beforeAll(async () => {
    server = await startTestServer({}, { grading: true });
    learner = await LabLearner.start(server.url);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends the session and the steps on connect, then each verdict with the steps after it', async () => {
    const channel = await listen();
    expect(channel.events.map((e) => e.type)).toEqual(['session', 'steps']);
    expect(channel.events[1]).toMatchObject({ type: 'steps', steps: { currentStep: 'tour', passed: 0 } });

    expect(await learner.check('tour', TOUR_ANSWERS)).toMatchObject({ passed: true });
    await expect.poll(() => channel.events.map((e) => e.type)).toEqual(['session', 'steps', 'verdict']);
    expect(channel.events[2]).toMatchObject({
      type: 'verdict',
      verdict: { stepId: 'tour', passed: true, trigger: 'check' },
      steps: { currentStep: 'backup', passed: 1 },
    });
    channel.close();
  });

  it('refuses a second reset while one runs, and sends the steps again once it is done', async () => {
    const channel = await listen();
    const path = learner.session.links.reset;
    const first = api(server.url, path, { method: 'POST', cookie: learner.cookie });
    await expect.poll(() => channel.events.map((e) => e.type)).toContain('resetting');
    const second = await api(server.url, path, { method: 'POST', cookie: learner.cookie });
    expect(second.status).toBe(409);
    expect((second.json as { error: { message: string } }).error.message).toMatch(/already being reset/);
    expect((await first).status).toBe(200);
    await expect.poll(() => channel.events.map((e) => e.type).slice(2, 5)).toEqual(['resetting', 'reset', 'steps']);
    channel.close();
  });
});
