import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassInfo } from './support/classroomClient';
import { ClassroomFixture } from './support/classroomFixture';
import { LabLearner, TOUR_ANSWERS, typeCommand } from './support/labLearner';

const BOOK_FILE = '/etc/sysconfig/iptables-book';
/** Step 12's fix, typed by the learner once the lab's setup has installed the misprinted file. */
const FIX_BOOK_FILE = `until [ -f ${BOOK_FILE} ]; do sleep 0.2; done; sed -i -e 's/-i To /-i lo /' -e 's/ -icmp-type / --icmp-type /' -e 's/--dport \\([0-9]*\\)-j/--dport \\1 -j/' ${BOOK_FILE}`;

/** An instructor resets a learner's lab: new machines, same progress, current-state steps judged again. */
describe("an instructor's reset of a learner's lab", () => {
  let classroom: ClassroomFixture;
  let cls: ClassInfo;
  let learner: LabLearner;

  beforeAll(async () => {
    classroom = await ClassroomFixture.start({}, { grading: true });
    cls = await classroom.createClass('Reset class');
    learner = await LabLearner.start(classroom.url, await classroom.join(cls, 'Rosa'));
  });
  afterAll(async () => {
    await classroom?.close();
  });

  it('keeps latched passes and turns a current-state pass the new machines do not earn back to failed', async () => {
    expect(await learner.check('tour', TOUR_ANSWERS)).toMatchObject({ passed: true });
    const machine1 = await learner.terminal('machine1');
    await typeCommand(machine1, FIX_BOOK_FILE);
    machine1.close();
    expect(await learner.check('fix-file')).toMatchObject({ passed: true });

    const learnerId = await classroom.learnerId(cls, 'Rosa');
    await classroom.call(`/api/instructor/classes/${cls.class.id}/learners/${learnerId}/reset`, 'POST');

    // The fresh Machine 1 has the misprinted file again: step 12 (current state) fails on its own.
    await expect.poll(() => learner.status('fix-file'), { timeout: 120_000, interval: 500 }).toBe('failed');
    expect((await learner.step('fix-file')).state.message).toMatch(/`iptables-restore` still refuses the file/);
    // Step 1 latched: the reset does not take it away.
    expect(await learner.status('tour')).toBe('passed');
  }, 120_000);
});
