import { describe, expect, it } from 'vitest';
import { stepStats } from '../../../server/classroom/stepStats';

const steps = [
  { id: 'tour', title: 'Take the tour' },
  { id: 'backup', title: 'Back up' },
  { id: 'scan', title: 'Scan' },
];
const min = 60_000;

describe('per-step class statistics', () => {
  it('counts passes and takes the median time from the previous pass (or joining) to the first pass', () => {
    const stats = stepStats({
      steps,
      learners: [
        { id: 'ann', joinedAt: 0 },
        { id: 'bo', joinedAt: 10 * min },
        { id: 'cy', joinedAt: 0 },
      ],
      progress: [
        // Ann: tour after 2 min, backup 4 min later.
        {
          learnerId: 'ann',
          passes: [
            { stepId: 'backup', firstPassAt: 6 * min },
            { stepId: 'tour', firstPassAt: 2 * min },
          ],
        },
        // Bo joined late: tour 6 min after joining, backup 10 min after that.
        {
          learnerId: 'bo',
          passes: [
            { stepId: 'tour', firstPassAt: 16 * min },
            { stepId: 'backup', firstPassAt: 26 * min },
          ],
        },
        { learnerId: 'cy', passes: [{ stepId: 'tour', firstPassAt: 3 * min }] },
      ],
      failures: [],
    });
    expect(stats).toEqual([
      { stepId: 'tour', passed: 3, medianMsToPass: 3 * min, topFailure: null },
      { stepId: 'backup', passed: 2, medianMsToPass: 7 * min, topFailure: null },
      { stepId: 'scan', passed: 0, medianMsToPass: null, topFailure: null },
    ]);
  });

  it('names the failure most learners got, counting the same advice with other addresses as one', () => {
    const stats = stepStats({
      steps,
      learners: [],
      progress: [],
      failures: [
        {
          stepId: 'scan',
          message: 'No `first-scan.txt` yet. Run `nmap 10.1.1.1 > first-scan.txt`',
          learners: 1,
          attempts: 9,
        },
        {
          stepId: 'scan',
          message: 'No `first-scan.txt` yet. Run `nmap 10.1.2.1 > first-scan.txt`',
          learners: 1,
          attempts: 1,
        },
        { stepId: 'scan', message: 'The scan shows no open ports', learners: 1, attempts: 30 },
        { stepId: 'backup', message: 'Wrong date', learners: 2, attempts: 2 },
        { stepId: 'backup', message: 'No backup', learners: 2, attempts: 5 },
      ],
    });
    expect(stats.find((s) => s.stepId === 'scan')?.topFailure).toEqual({
      message: 'No `first-scan.txt` yet. Run `nmap 10.1.1.1 > first-scan.txt`',
      learners: 2,
    });
    // A tie in learners goes to the message seen more often.
    expect(stats.find((s) => s.stepId === 'backup')?.topFailure).toEqual({ message: 'No backup', learners: 2 });
    expect(stats.find((s) => s.stepId === 'tour')?.topFailure).toBeNull();
  });
});
