import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResultEvent, ServerExtension } from '../../server/app/ServerExtension';
import type { SessionEventSnapshot } from '../../server/sessions/labSessionTypes';
import { LabLearner, TOUR_ANSWERS } from './support/labLearner';
import { api, guestCookie, startTestServer } from './support/testServer';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** An integration as the journal or an LTI passback would be: it only sees what the hooks give it. */
class RecordingExtension implements ServerExtension {
  readonly name = 'recording';
  readonly events: { type: string; sessionId: string; learnerId: string }[] = [];
  readonly results: CheckResultEvent[] = [];
  started = false;
  closed = false;

  start(): void {
    this.started = true;
  }
  onSessionEvent(event: SessionEventSnapshot): void {
    this.events.push({ type: event.type, sessionId: event.session.id, learnerId: event.session.ownerId });
  }
  onCheckResult(result: CheckResultEvent): void {
    this.results.push(result);
  }
  routes: ServerExtension['routes'] = (router, deps) => {
    router.get('/recording/me', (req, res) => {
      const learnerId = deps.identify.learner(req);
      if (!learnerId) return void res.status(401).json({ error: 'sign in first' });
      res.json({ learnerId, tables: deps.db.prepare('SELECT count(*) AS n FROM sqlite_master').get() });
    });
  };
  close(): void {
    this.closed = true;
  }
}

describe('server extensions (the hooks)', () => {
  let server: Server;
  const broken: ServerExtension = {
    name: 'broken',
    onSessionEvent() {
      throw new Error('this extension fails on every event');
    },
  };
  const recording = new RecordingExtension();
  const logged: string[] = [];

  beforeAll(async () => {
    server = await startTestServer(
      {},
      { grading: true, extensions: [broken, recording], log: (message) => logged.push(message) },
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  it('hears a lab session start, and a check result with whose it is and the progress after it', async () => {
    expect(recording.started).toBe(true);
    const learner = await LabLearner.start(server.url);
    const sessionId = learner.session.id;
    expect(recording.events).toContainEqual(expect.objectContaining({ type: 'started', sessionId }));
    const learnerId = recording.events.find((e) => e.sessionId === sessionId)?.learnerId;

    expect(await learner.check('tour', TOUR_ANSWERS)).toMatchObject({ passed: true });
    expect(recording.results).toContainEqual(
      expect.objectContaining({
        learnerId,
        labId: 'iptables-single-server',
        sessionId,
        stepId: 'tour',
        verdict: expect.objectContaining({ passed: true }) as unknown,
        trigger: 'check',
        progress: expect.objectContaining({ passed: 1 }) as unknown,
      }),
    );
  });

  it('keeps the other extensions going when one throws, and logs it', () => {
    expect(logged.some((line) => line.includes('extension broken') && line.includes('fails on every event'))).toBe(
      true,
    );
  });

  it('serves its own routes, which see who is asking', async () => {
    expect((await api(server.url, '/api/recording/me')).status).toBe(401);
    const cookie = await guestCookie(server.url);
    const res = await api(server.url, '/api/recording/me', { cookie });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ learnerId: expect.any(String) as unknown });
  });
});
