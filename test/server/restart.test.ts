import { afterAll, describe, expect, it } from 'vitest';
import { RestartableServer } from '../support/restartableServer';
import {
  createClass,
  instructorCall,
  instructorLogin,
  join,
  learnerCall,
  type ClassInfo,
  type LabSessionJson,
} from './support/classroomClient';
import { TerminalClient } from './support/terminalClient';

const PASSWORD = 'restart-test-password';
const server = new RestartableServer('rs', { INSTRUCTOR_PASSWORD: PASSWORD });

/** Opens machine1's terminal and returns the shell's PID and working directory. */
async function shellFacts(
  base: string,
  cookie: string,
  terminalUrl: string,
  prepare = '',
): Promise<{ pid: string; cwd: string }> {
  const term = TerminalClient.connect(base.replace(/^http/, 'ws') + terminalUrl, { cookie, origin: base });
  await term.opened;
  term.hello(100, 30);
  // Input counts once the server said READY; a fresh shell has also printed its prompt by then.
  await expect.poll(() => term.ready !== undefined, { timeout: 120_000 }).toBe(true);
  if (prepare) {
    await term.waitFor(/\]# /, 120_000);
    term.input(`${prepare}\r`);
  }
  const from = term.position;
  term.input('echo "PID=$$ CWD=$(pwd)"\r');
  const match = (await term.waitFor(/PID=(\d+) CWD=(\S+)\r?\n/, 120_000, from)) as RegExpMatchArray;
  term.ws.close();
  return { pid: match[1] ?? '', cwd: match[2] ?? '' };
}

describe('a server killed with SIGKILL and started again', () => {
  afterAll(() => server.dispose());

  it('gives learners back the same machines, the same shell and their progress', async () => {
    let base = await server.start();
    const instructor = await instructorLogin(base, PASSWORD);
    const cls = await createClass(base, instructor, 'Restart class');
    const learner = await join(base, cls.class.joinCode, 'Rita');
    const lab = await learnerCall<LabSessionJson>(base, learner, `/api/labs/${cls.class.labId}/sessions`, 'POST');
    const terminalUrl = lab.machines.find((m) => m.id === 'machine1')?.terminalUrl ?? '';

    const before = await shellFacts(
      base,
      learner,
      terminalUrl,
      'cd /etc/sysconfig && cp -a iptables iptables-$(date +%F)_BAK',
    );
    const check = await learnerCall<{ passed: boolean; message: string }>(
      base,
      learner,
      `/api/sessions/${lab.id}/steps/backup/check`,
      'POST',
      {},
    );
    expect(check).toMatchObject({ passed: true });

    base = await server.restart('SIGKILL');

    // The learner's cookie still works, and their lab is the same one, running.
    const sessions = await learnerCall<{ sessions: LabSessionJson[] }>(base, learner, '/api/sessions');
    expect(sessions.sessions).toEqual([expect.objectContaining({ id: lab.id, status: 'ready' })]);
    // The same bash: same PID, still in the directory the learner left it in.
    expect(await shellFacts(base, learner, terminalUrl)).toEqual({ pid: before.pid, cwd: '/etc/sysconfig' });

    // Progress survived: the dashboard and the grades show the pass recorded before the crash.
    const again = await instructorLogin(base, PASSWORD);
    const snapshot = await instructorCall<ClassInfo>(base, again, `/api/instructor/classes/${cls.class.id}`);
    expect(snapshot.learners).toEqual([
      expect.objectContaining({
        displayName: 'Rita',
        passed: ['backup'],
        session: expect.objectContaining({ sessionId: lab.id, status: 'ready' }) as unknown,
      }),
    ]);
    const grades = await fetch(`${base}/api/classes/${cls.class.id}/grades`, {
      headers: { authorization: `Bearer ${cls.apiToken}` },
    });
    const body = (await grades.json()) as { learners: { steps: Record<string, string | null>; total: number }[] };
    expect(body.learners[0]?.total).toBe(1);
    expect(body.learners[0]?.steps.backup).toMatch(/^\d{4}-\d\d-\d\dT/);
  }, 180_000);
});
