import { describe, expect, it } from 'vitest';
import { computeGrades, gradeTable } from '../../../server/classroom/grades';

const steps = [
  { id: 'backup', title: 'Back up the rules' },
  { id: 'scan', title: 'Scan' },
];
const learners = [
  { id: 'ann', displayName: 'Ann' },
  { id: 'bo', displayName: 'Bo' },
];

describe('grades', () => {
  it('give each learner the time of their first pass per step, a total and the last activity', () => {
    const rows = computeGrades(
      steps,
      learners,
      [
        {
          learnerId: 'ann',
          lastAt: 3000,
          passes: [
            { stepId: 'backup', firstPassAt: 2000 },
            { stepId: 'retired-step', firstPassAt: 2500 },
          ],
        },
        { learnerId: 'bo', lastAt: 500, passes: [] },
      ],
      new Map([['ann', 9000]]),
    );
    expect(rows).toEqual([
      { learnerId: 'ann', displayName: 'Ann', firstPass: { backup: 2000, scan: null }, total: 1, lastActivity: 9000 },
      { learnerId: 'bo', displayName: 'Bo', firstPass: { backup: null, scan: null }, total: 0, lastActivity: 500 },
    ]);
  });

  it('tabulate with one column per step, blank when not passed', () => {
    const rows = computeGrades(
      steps,
      learners.slice(0, 1),
      [{ learnerId: 'ann', lastAt: 0, passes: [{ stepId: 'scan', firstPassAt: 0 }] }],
      new Map(),
    );
    expect(gradeTable(steps, rows)).toEqual([
      ['Learner', 'backup', 'scan', 'Total', 'Last activity'],
      ['Ann', '', '1970-01-01T00:00:00.000Z', '1', '1970-01-01T00:00:00.000Z'],
    ]);
  });
});
