import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ltiExtension } from '../../server/lti/ltiExtension';
import { ClassroomFixture } from './support/classroomFixture';
import { LabLearner, TOUR_ANSWERS } from './support/labLearner';
import { INSTRUCTOR_ROLE, LEARNER_ROLE, type LaunchSpec } from '../support/lti/idTokenClaims';
import { enter, formOf, launch, postForm } from '../support/lti/launchClient';
import { TestPlatform } from '../support/lti/TestPlatform';

const LAB = 'iptables-single-server';

interface ScoreView {
  status: string;
  scoreGiven: number;
  scoreMaximum: number;
  tries: number;
  learner: string;
}

describe('LTI 1.3: an LMS course launches the lab, and each first pass moves the grade', () => {
  let classroom: ClassroomFixture;
  const platform = new TestPlatform();
  let n = 0;
  const learner = (): LaunchSpec['user'] => ({ sub: `user-${++n}`, name: `Learner ${n}`, roles: [LEARNER_ROLE] });
  const scoresView = async (): Promise<ScoreView[]> =>
    (await classroom.call<{ scores: ScoreView[] }>('/api/instructor/lti')).scores;

  /** A launch accepted and opened: the learner's cookie and lab session. */
  async function openLab(spec: LaunchSpec): Promise<LabLearner> {
    const answer = await launch(platform, spec);
    expect(answer.status, answer.html).toBe(200);
    expect(answer.openHref).toMatch(/^\/lti\/enter\?code=/);
    const opened = await enter(classroom.url, answer.openHref ?? '');
    expect(opened.status).toBe(303);
    expect(opened.location).toMatch(/^\/lab\?session=/);
    return LabLearner.resume(
      classroom.url,
      opened.cookie,
      new URL(opened.location, classroom.url).searchParams.get('session') ?? '',
    );
  }

  beforeAll(async () => {
    await platform.start();
    classroom = await ClassroomFixture.start({}, { grading: true, extensions: [ltiExtension()] });
    platform.tool = {
      login: `${classroom.url}/lti/login`,
      launch: `${classroom.url}/lti/launch`,
      jwks: `${classroom.url}/lti/jwks`,
    };
    await classroom.call('/api/instructor/lti/platforms', 'POST', platform.registration());
  });
  afterAll(async () => {
    await classroom.close();
    await platform.stop();
  });

  it('shows the instructor the URLs to paste into the LMS, and publishes the public key only', async () => {
    const view = await classroom.call<{
      tool: Record<string, string>;
      platforms: { issuer: string; deploymentIds: string[] }[];
    }>('/api/instructor/lti');
    expect(view.tool).toMatchObject({
      login: platform.tool.login,
      launch: platform.tool.launch,
      jwks: platform.tool.jwks,
    });
    expect(view.platforms).toMatchObject([{ issuer: platform.issuer, deploymentIds: [platform.deploymentId] }]);
    const jwks = (await (await fetch(`${classroom.url}/lti/jwks`)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const refused = await fetch(`${classroom.url}/api/instructor/lti`);
    expect(refused.status).toBe(401);
  });

  it('an instructor adds the lab with deep linking, one graded item per step, and the LMS creates the line items', async () => {
    const form = await launch(platform, {
      kind: 'deep-linking',
      user: { sub: 'teacher', name: 'Teacher', roles: [INSTRUCTOR_ROLE] },
    });
    expect(form.status).toBe(200);
    const pick = formOf(form.html.replace(/<input type="radio"[^>]*>/g, ''));
    const answer = await fetch(`${classroom.url}/lti/deep-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: classroom.url },
      body: new URLSearchParams({ pick: pick.fields.pick ?? '', lab: LAB, items: 'steps' }),
    });
    const back = formOf(await answer.text());
    expect(back.action).toBe(`${platform.pageBase}/deep-link-return`);
    const before = platform.lineItems.length;
    const returned = await postForm(back.action.replace('//localhost:', '//127.0.0.1:'), back.fields, classroom.url);
    expect(returned.status).toBe(200);
    expect(platform.lineItems.length - before).toBe(12);
    expect(platform.lineItems.at(-12)).toMatchObject({ scoreMaximum: 1, tag: 'tour', resourceId: `${LAB}/tour` });
    expect(platform.deepLinkAnswers.at(-1)).toMatchObject({
      'https://purl.imsglobal.org/spec/lti-dl/claim/data': 'opaque-platform-data',
    });
    // The pick is spent: the same form posted again is refused.
    const again = await fetch(`${classroom.url}/lti/deep-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: classroom.url },
      body: new URLSearchParams({ pick: pick.fields.pick ?? '', lab: LAB, items: 'lab' }),
    });
    expect(again.status).toBe(410);
  });

  it('a learner launched from the course gets the lab with no join code, and a first pass sends steps passed of all steps', async () => {
    const user = learner();
    const spec: LaunchSpec = { user, link: { id: 'whole-lab', title: 'iptables lab', custom: { lab: LAB } } };
    const lab = await openLab(spec);
    // The link came without a line item: the tool found none for it, so it created one.
    const item = platform.lineItems.find((i) => i.resourceLinkId === 'whole-lab');
    expect(item).toMatchObject({ scoreMaximum: 12, tag: 'lab' });

    const before = Date.now();
    expect(await lab.check('tour', TOUR_ANSWERS)).toMatchObject({ passed: true });
    await expect.poll(() => platform.scoresFor(user.sub).length, { timeout: 120_000 }).toBe(1);
    const [score] = platform.scoresFor(user.sub);
    expect(score?.lineItem).toBe(item?.id);
    expect(score?.body).toMatchObject({
      scoreGiven: 1,
      scoreMaximum: 12,
      activityProgress: 'InProgress',
      gradingProgress: 'FullyGraded',
    });
    expect(Date.parse(score?.body.timestamp ?? '')).toBeGreaterThanOrEqual(before - 1000);

    // The same state again (another pass of the same step, another launch) is never sent twice.
    expect(await lab.check('tour', TOUR_ANSWERS)).toMatchObject({ passed: true });
    const again = await openLab(spec);
    expect(again.session.id).toBe(lab.session.id);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(platform.scoresFor(user.sub)).toHaveLength(1);
    expect((await scoresView()).filter((s) => s.learner === user.name)).toMatchObject([
      { status: 'sent', scoreGiven: 1, tries: 1 },
    ]);

    // The LMS course became a class of the lab, with this learner in it.
    const classes = await classroom.call<{ classes: { id: string; name: string; labId: string }[] }>(
      '/api/instructor/classes',
    );
    expect(classes.classes.filter((c) => c.name.startsWith('Firewalls 101 · ') && c.labId === LAB)).toHaveLength(1);
  });

  it('an instructor of the course gets the class dashboard, not a lab', async () => {
    const answer = await launch(platform, {
      user: { sub: 'teacher', name: 'Teacher', roles: [INSTRUCTOR_ROLE] },
      link: { id: 'whole-lab', title: 'iptables lab', custom: { lab: LAB } },
    });
    expect(answer.status).toBe(200);
    const opened = await enter(classroom.url, answer.openHref ?? '');
    expect(opened.location).toMatch(/^\/dashboard\?class=[a-f0-9]{16}$/);
    const me = await fetch(`${classroom.url}/api/instructor/me`, { headers: { cookie: opened.cookie } });
    expect(await me.json()).toMatchObject({ signedIn: true });
    // The code was spent by that first use.
    expect((await enter(classroom.url, answer.openHref ?? '')).status).toBe(410);
  });

  describe('refuses a launch it cannot trust, and lets nobody in', () => {
    const refusedWith = async (spec: Partial<LaunchSpec>, message: RegExp): Promise<void> => {
      const answer = await launch(platform, {
        user: learner(),
        link: { id: 'whole-lab', title: 'lab', custom: { lab: LAB } },
        ...spec,
      });
      expect(answer.status).toBe(401);
      expect(answer.openHref).toBeUndefined();
      expect(answer.html).toMatch(message);
    };

    it('a token signed by another key (forged)', async () => {
      const forger = await generateKeyPair('RS256');
      await refusedWith({ signWith: forger.privateKey }, /signature does not verify/);
    });

    it('an expired token', async () => {
      const past = Math.floor(Date.now() / 1000) - 3600;
      await refusedWith({ tamper: (c) => ({ ...c, iat: past - 300, exp: past }) }, /has expired/);
    });

    it('a token for another tool (wrong audience)', async () => {
      await refusedWith({ tamper: (c) => ({ ...c, aud: 'someone-else' }) }, /aud claim is wrong/);
    });

    it('a deployment nobody registered', async () => {
      await refusedWith({ deploymentId: 'deployment-unknown' }, /deployment of the tool is not registered/);
    });

    it('a nonce that does not answer the login', async () => {
      await refusedWith({ tamper: (c) => ({ ...c, nonce: 'made-up' }) }, /nonce/);
    });

    it('a launch posted a second time (replayed state and nonce)', async () => {
      const answer = await launch(platform, {
        user: learner(),
        link: { id: 'whole-lab', title: 'lab', custom: { lab: LAB } },
        ags: false,
      });
      expect(answer.status).toBe(200);
      const replay = await postForm(answer.form.action, answer.form.fields, platform.pageBase);
      expect(replay.status).toBe(401);
      expect(replay.html).toMatch(/expired or was already used/);
    });

    it('a login from an LMS nobody registered', async () => {
      const res = await fetch(`${classroom.url}/lti/login?iss=https%3A%2F%2Fevil.example&login_hint=x`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(400);
    });
  });

  it('retries a score the LMS answered with 500, and sends it once it answers 200', async () => {
    const user = learner();
    const lab = await openLab({ user, link: { id: 'whole-lab', title: 'iptables lab', custom: { lab: LAB } } });
    platform.failScores = [500];
    expect(await lab.check('tour', TOUR_ANSWERS)).toMatchObject({ passed: true });
    await expect.poll(() => platform.scoresFor(user.sub).length, { timeout: 120_000 }).toBe(1);
    expect(platform.scores.filter((s) => s.body.userId === user.sub).map((s) => s.status)).toEqual([500, 200]);
    expect((await scoresView()).filter((s) => s.learner === user.name)).toMatchObject([{ status: 'sent', tries: 2 }]);
  });
});
