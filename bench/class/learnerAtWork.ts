import { setTimeout as sleep } from 'node:timers/promises';
import type { TerminalClient } from '../../test/server/support/terminalClient';
import type { BenchLearner } from './BenchLearner';

const KEY_GAP_MS = 150;
const COMMAND_EVERY_MS = 10_000;
const BACKUP = 'cp -a /etc/sysconfig/iptables /etc/sysconfig/iptables-$(date +%Y-%m-%d)_BAK';
const COMMANDS = [
  'iptables -L -n',
  'service iptables status',
  'cat /etc/sysconfig/iptables',
  'iptables -L INPUT --line-numbers',
  'ls -l /etc/sysconfig',
];

export interface Active {
  learner: BenchLearner;
  term: TerminalClient;
}

/** Prompt → verdict on the page, and prompt → the server's check done (the debounce, queue and checker). */
export interface Verdicts {
  seen: number[];
  checked: number[];
}

/**
 * A learner at work: a first command (its auto-check fails a step not started yet, which nobody
 * is shown), then the backup, timed from its prompt to the pass arriving on the lab page's event
 * channel; then a command every ~10 s.
 */
export async function work(
  active: Active,
  verdicts: Verdicts,
  timeouts: { n: number },
  stop: { now: boolean },
): Promise<void> {
  const { learner, term } = active;
  await learner.typeLine(term, COMMANDS[0] as string, KEY_GAP_MS);
  await sleep(COMMAND_EVERY_MS * Math.random());
  const verdict = await learner.nextVerdict('backup');
  await learner.typeLine(term, BACKUP, KEY_GAP_MS);
  const finished = performance.now();
  const finishedAt = Date.now();
  const seen = await verdict();
  if (seen) {
    verdicts.seen.push(seen.arrived - finished);
    verdicts.checked.push(seen.checkedAt - finishedAt);
  } else timeouts.n += 1;
  const stopped = (): boolean => stop.now;
  for (let i = 1; !stopped(); i++) {
    await sleep(COMMAND_EVERY_MS * (0.7 + 0.6 * Math.random()));
    if (stopped()) break;
    await learner.typeLine(term, COMMANDS[i % COMMANDS.length] as string, KEY_GAP_MS).catch(() => undefined);
  }
}
