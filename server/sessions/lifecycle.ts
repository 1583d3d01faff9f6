import type { LabSessionStatus } from './labSessionTypes';

/**
 * The lab session lifecycle: every change of a session's status, named, with the statuses it may
 * come from. SessionTable applies them and refuses any other. ARCHITECTURE.md shows this table
 * (`lifecycleMarkdown`; a unit test keeps the two the same).
 */
export interface Transition {
  readonly from: readonly LabSessionStatus[];
  readonly to: LabSessionStatus;
  /** What causes it, for the reader. */
  readonly when: string;
  /** The events announced once it happened. */
  readonly events: readonly string[];
}

const AWAKE: readonly LabSessionStatus[] = ['ready', 'broken'];

export const TRANSITIONS = {
  started: { from: ['starting'], to: 'ready', when: 'the machines answer', events: ['started'] },
  resetting: {
    from: [...AWAKE, 'sleeping'],
    to: 'resetting',
    when: '`reset(id, by)`: fresh machines, same placement (a reset while one runs is refused: `busy`)',
    events: ['resetting'],
  },
  reset: {
    from: ['resetting'],
    to: 'ready',
    when: 'the fresh machines answer (a failure ends the session)',
    events: ['reset'],
  },
  sleeping: {
    from: AWAKE,
    to: 'sleeping',
    when: 'idle reaper, Sleep button or instructor: machines stop, disks kept',
    events: ['sleeping', 'slept'],
  },
  waking: { from: ['sleeping'], to: 'waking', when: '`wake(id)` (refused when the host is full)', events: [] },
  woken: { from: ['waking'], to: 'ready', when: 'the machines booted', events: ['woken'] },
  'wake-failed': { from: ['waking'], to: 'sleeping', when: 'the wake failed: still asleep, files intact', events: [] },
  broken: {
    from: ['ready'],
    to: 'broken',
    when: 'a machine stopped unasked, or the engine went away (`MachineFailures`)',
    events: ['broken'],
  },
  recovered: {
    from: ['broken'],
    to: 'ready',
    when: 'the engine is back and the machines run again',
    events: ['recovered'],
  },
  ended: {
    from: ['starting', 'ready', 'broken', 'resetting', 'sleeping', 'waking'],
    to: 'ended',
    when: 'learner, idle or maximum age, instructor, shutdown, failure; creation failed (no event: the caller hears why)',
    events: ['ended'],
  },
} as const satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;

/** How a session comes to be: not a change of status, the status it is born with. */
export const BIRTHS: readonly { from: string; to: readonly LabSessionStatus[]; when: string; events: string[] }[] = [
  {
    from: '—',
    to: ['starting'],
    when: '`start(learnerId, labId)`: a warm deployment, or a new one in the start queue',
    events: [],
  },
  {
    from: '(restart)',
    to: ['ready', 'sleeping'],
    when: '`adopt`: the store knew it and its machines still answer',
    events: ['started'],
  },
];

/** Whether the table lets a session in status `from` take the transition. */
export function allows(from: LabSessionStatus, name: TransitionName): boolean {
  const allowed: readonly LabSessionStatus[] = TRANSITIONS[name].from;
  return allowed.includes(from);
}

/** The table as ARCHITECTURE.md shows it. */
export function lifecycleMarkdown(): string {
  const code = (words: readonly string[]): string => words.map((w) => `\`${w}\``).join(', ') || '—';
  const rows = [
    ...BIRTHS.map((b) => [b.from, code(b.to).replace(', ', ' / '), b.when, code(b.events)]),
    ...Object.entries(TRANSITIONS).map(([name, t]) => [
      code(t.from),
      `\`${t.to}\``,
      `**${name}**: ${t.when}`,
      code(t.events),
    ]),
  ];
  return [
    '| from | to | when | events |',
    '|---|---|---|---|',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ].join('\n');
}
