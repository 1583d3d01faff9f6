import { afterAll, describe, expect, it } from 'vitest';
import { RestartableServer } from '../support/restartableServer';
import { LEARNER_ROLE } from '../support/lti/idTokenClaims';
import { enter, launch } from '../support/lti/launchClient';
import { TestPlatform } from '../support/lti/TestPlatform';
import { instructorCall, instructorLogin } from './support/classroomClient';
import { LabLearner, TOUR_ANSWERS } from './support/labLearner';

const PASSWORD = 'lti-restart-password';
const server = new RestartableServer('lti', { INSTRUCTOR_PASSWORD: PASSWORD });
const platform = new TestPlatform();

const pointPlatformAt = (url: string): void => {
  platform.tool = { login: `${url}/lti/login`, launch: `${url}/lti/launch`, jwks: `${url}/lti/jwks` };
};

interface ScoreView {
  status: string;
  tries: number;
  lastError: string | null;
  scoreGiven: number;
}

describe('a score passed while the LMS is down', () => {
  afterAll(async () => {
    await server.dispose();
    await platform.stop();
  });

  it('waits in the outbox through a server crash, reaches the LMS once it is back, and only once', async () => {
    await platform.start();
    let url = await server.start();
    pointPlatformAt(url);
    let instructor = await instructorLogin(url, PASSWORD);
    await instructorCall(url, instructor, '/api/instructor/lti/platforms', 'POST', platform.registration());

    const user = { sub: 'restart-learner', name: 'Rita', roles: [LEARNER_ROLE] };
    const answer = await launch(platform, {
      user,
      link: { id: 'lab', title: 'lab', custom: { lab: 'iptables-single-server' } },
    });
    const opened = await enter(url, answer.openHref ?? '');
    const sessionId = new URL(opened.location, url).searchParams.get('session') ?? '';
    const learner = await LabLearner.resume(url, opened.cookie, sessionId);

    // The LMS goes down; the pass is stored, and its score waits after a failed try.
    await platform.stop();
    expect(await learner.check('tour', TOUR_ANSWERS)).toMatchObject({ passed: true });
    const scores = async (): Promise<ScoreView[]> =>
      (await instructorCall<{ scores: ScoreView[] }>(url, instructor, '/api/instructor/lti')).scores;
    await expect.poll(async () => (await scores())[0]?.tries ?? 0, { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
    expect((await scores())[0]).toMatchObject({ status: 'pending', scoreGiven: 1 });
    expect((await scores())[0]?.lastError).toBeTruthy();

    // The server is killed, and comes back before the LMS does.
    url = await server.restart('SIGKILL');
    pointPlatformAt(url);
    instructor = await instructorLogin(url, PASSWORD);
    expect((await scores())[0]).toMatchObject({ status: 'pending' });

    await platform.start(platform.listeningPort);
    await expect.poll(() => platform.scoresFor(user.sub).length, { timeout: 120_000 }).toBe(1);
    expect(platform.scoresFor(user.sub)[0]?.body).toMatchObject({ scoreGiven: 1, scoreMaximum: 12 });
    await expect.poll(async () => (await scores())[0]?.status, { timeout: 120_000 }).toBe('sent');

    // Sent is sent: neither the outbox nor a second restart sends it again.
    url = await server.restart('SIGTERM');
    pointPlatformAt(url);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(platform.scoresFor(user.sub)).toHaveLength(1);
  });
});
