import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createClass,
  instructorCall,
  instructorLogin,
  join,
  type ClassInfo,
  type Instructor,
} from './support/classroomClient';
import { LabLearner, TOUR_ANSWERS, typeCommand } from './support/labLearner';
import { startTestServer } from './support/testServer';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const PASSWORD = 'reset-test-password';
const BOOK_FILE = '/etc/sysconfig/iptables-book';
/** Step 12's fix, typed by the learner once the lab's setup has installed the misprinted file. */
const FIX_BOOK_FILE = `until [ -f ${BOOK_FILE} ]; do sleep 0.2; done; sed -i -e 's/-i To /-i lo /' -e 's/ -icmp-type / --icmp-type /' -e 's/--dport \\([0-9]*\\)-j/--dport \\1 -j/' ${BOOK_FILE}`;

/** An instructor resets a learner's lab: new machines, same progress, current-state steps judged again. */
describe("an instructor's reset of a learner's lab", () => {
  let server: Server;
  let instructor: Instructor;
  let cls: ClassInfo;
  let learner: LabLearner;

  beforeAll(async () => {
    server = await startTestServer({ INSTRUCTOR_PASSWORD: PASSWORD }, { grading: true });
    instructor = await instructorLogin(server.url, PASSWORD);
    cls = await createClass(server.url, instructor, 'Reset class');
    learner = await LabLearner.start(server.url, await join(server.url, cls.class.joinCode, 'Rosa'));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps latched passes and turns a current-state pass the new machines do not earn back to failed', async () => {
    expect(await learner.check('tour', TOUR_ANSWERS)).toMatchObject({ passed: true });
    const machine1 = await learner.terminal('machine1');
    await typeCommand(machine1, FIX_BOOK_FILE);
    machine1.close();
    expect(await learner.check('fix-file')).toMatchObject({ passed: true });

    const snapshot = await instructorCall<ClassInfo>(server.url, instructor, `/api/instructor/classes/${cls.class.id}`);
    const learnerId = snapshot.learners.find((l) => l.displayName === 'Rosa')?.id ?? '';
    await instructorCall(
      server.url,
      instructor,
      `/api/instructor/classes/${cls.class.id}/learners/${learnerId}/reset`,
      'POST',
    );

    // The fresh Machine 1 has the misprinted file again: step 12 (current state) fails on its own.
    await expect.poll(() => learner.status('fix-file'), { timeout: 30_000, interval: 500 }).toBe('failed');
    expect((await learner.step('fix-file')).state.message).toMatch(/`iptables-restore` still refuses the file/);
    // Step 1 latched: the reset does not take it away.
    expect(await learner.status('tour')).toBe('passed');
  }, 120_000);
});
