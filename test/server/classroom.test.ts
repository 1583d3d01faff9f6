import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassInfo, Instructor } from './support/classroomClient';
import { ClassroomFixture } from './support/classroomFixture';
import { TerminalClient } from './support/terminalClient';
import WebSocket from 'ws';

describe('classroom API: who may do what', () => {
  let classroom: ClassroomFixture;
  let base: string;
  let instructor: Instructor;
  let cls: ClassInfo;

  beforeAll(async () => {
    classroom = await ClassroomFixture.start();
    ({ url: base, instructor } = classroom);
    cls = await classroom.createClass('Tuesday <b>group</b>');
  });
  afterAll(() => classroom?.close());

  it('sets an httpOnly, SameSite=Strict instructor cookie and refuses a wrong password', async () => {
    const res = await fetch(`${base}/api/instructor/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: classroom.password }),
    });
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Strict/i);
    const wrong = await fetch(`${base}/api/instructor/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'nope-nope' }),
    });
    expect(wrong.status).toBe(401);
  });

  it('creates classes with an 8-symbol join code', () => {
    expect(cls.class.joinCode).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
  });

  it('refuses instructor routes to learners and strangers', async () => {
    const learner = await classroom.join(cls, 'Lee');
    for (const cookie of [learner, '']) {
      const res = await fetch(`${base}/api/instructor/classes`, { headers: { cookie } });
      expect(res.status).toBe(401);
    }
    const page = await fetch(`${base}/dashboard`, { headers: { cookie: learner }, redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/instructor');
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws/instructor/classes/${cls.class.id}`, {
      headers: { cookie: learner },
    });
    const refused = await new Promise<number>((resolve) =>
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(refused).toBe(401);
  });

  it('refuses state changes without the CSRF token or from another origin', async () => {
    const noToken = await fetch(`${base}/api/instructor/classes`, {
      method: 'POST',
      headers: { cookie: instructor.cookie, 'content-type': 'application/json' },
      body: '{"name":"x"}',
    });
    expect(noToken.status).toBe(403);
    const foreign = await fetch(`${base}/api/instructor/classes`, {
      method: 'POST',
      headers: {
        cookie: instructor.cookie,
        'x-csrf-token': instructor.csrf,
        origin: 'http://evil.example',
        'content-type': 'application/json',
      },
      body: '{"name":"x"}',
    });
    expect(foreign.status).toBe(403);
  });

  it('answers bad ids and oversized bodies with a 4xx and a clear message', async () => {
    const badId = await fetch(`${base}/api/instructor/classes/..%2Fetc`, { headers: { cookie: instructor.cookie } });
    expect(badId.status).toBe(400);
    const unknown = await fetch(`${base}/api/instructor/classes/0123456789abcdef`, {
      headers: { cookie: instructor.cookie },
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe('No such class');
    const big = await fetch(`${base}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: cls.class.joinCode, displayName: 'x'.repeat(40_000) }),
    });
    expect(big.status).toBe(413);
    const badCode = await fetch(`${base}/api/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'NOPE', displayName: 'x' }),
    });
    expect(badCode.status).toBe(404);
  });

  it('keeps display names as text, and serves grades as CSV and as token-protected JSON', async () => {
    await classroom.join(cls, '=HYPERLINK("http://evil")');
    const csv = await fetch(`${base}/api/instructor/classes/${cls.class.id}/grades.csv`, {
      headers: { cookie: instructor.cookie },
    });
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe(['Learner', ...cls.steps.map((s) => s.id), 'Total', 'Last activity'].join(','));
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    const noToken = await fetch(`${base}/api/classes/${cls.class.id}/grades`);
    expect(noToken.status).toBe(401);
    const wrong = await fetch(`${base}/api/classes/${cls.class.id}/grades`, {
      headers: { authorization: 'Bearer wrong' },
    });
    expect(wrong.status).toBe(403);
    const ok = await fetch(`${base}/api/classes/${cls.class.id}/grades`, {
      headers: { authorization: `Bearer ${cls.apiToken}` },
    });
    const json = (await ok.json()) as { learners: { displayName: string; total: number }[] };
    expect(json.learners.map((l) => l.displayName)).toEqual(['Lee', '=HYPERLINK("http://evil")']);
    const snapshot = await classroom.classView(cls);
    expect(snapshot.learners).toHaveLength(2);
  });

  it('sends a dashboard the whole class once, then only the learner lines that change', async () => {
    const messages: { type: string; data: { learners: { id: string; displayName: string }[]; removed?: string[] } }[] =
      [];
    const dashboard = await classroom.openDashboard(cls, (data) =>
      messages.push(JSON.parse(data.toString()) as (typeof messages)[number]),
    );
    await expect.poll(() => messages.length, { timeout: 120_000 }).toBeGreaterThan(0);
    expect(messages[0]?.type).toBe('snapshot');
    const before = messages[0]?.data.learners.length ?? 0;
    expect(before).toBeGreaterThanOrEqual(2);
    await classroom.join(cls, 'Newcomer');
    await expect
      .poll(() => messages.some((m) => m.type === 'changes' && m.data.learners.length > 0), { timeout: 120_000 })
      .toBe(true);
    const changes = messages.slice(1).filter((m) => m.data.learners.length > 0);
    expect(changes.every((m) => m.type === 'changes')).toBe(true);
    expect(changes.flatMap((m) => m.data.learners.map((l) => l.displayName))).toEqual(['Newcomer']);
    dashboard.close();
  });

  it("never lets the read-only terminal view type into the learner's shell", async () => {
    const learner = await classroom.join(cls, 'Watched');
    const lab = await classroom.startLab(learner, cls.class.labId);
    const term = TerminalClient.connect(base.replace(/^http/, 'ws') + (lab.machines[0]?.terminalUrl ?? ''), {
      cookie: learner,
      origin: base,
    });
    await term.opened;
    term.hello(90, 25);
    const watch = new WebSocket(`${base.replace('http', 'ws')}/ws/instructor/watch/${lab.id}/${lab.machines[0]?.id}`, {
      headers: { cookie: instructor.cookie },
      origin: base,
    });
    let seen = '';
    watch.on('message', (data: Buffer) => (seen += data.subarray(1).toString()));
    await new Promise((resolve) => watch.once('open', resolve));
    watch.send('touch /tmp/instructor-was-here\r');
    watch.send(Buffer.from([0x01, ...Buffer.from('{"cols":20,"rows":5}')]));
    await term.waitFor(/\]# /);
    term.input('echo typed-by-learner; ls /tmp/instructor-was-here; tput cols\r');
    await expect.poll(() => seen, { timeout: 120_000 }).toMatch(/typed-by-learner[\s\S]*No such file[\s\S]*\b90\b/);
    watch.close();
    term.ws.close();
  });
});
