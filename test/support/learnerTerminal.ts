import { plainText } from '../../labkit/plainText';
import { commandRuns } from '../../labkit/transcript';
import type { LabDriver } from '../../server/grading/selfTest';

/** Typing into a lab's recording terminals as a learner does, and reading what they show. */
export function learnerTerminal(driver: LabDriver) {
  const finished = (machine: string): number =>
    commandRuns(driver.terminals.transcript(machine)).filter((r) => r.finished).length;
  const plain = (machine: string): string => plainText(driver.terminals.transcript(machine));
  return {
    plain,
    /** Types a line and waits (up to 60 s, a loaded host) until the shell reports it finished. */
    async run(machine: string, line: string): Promise<void> {
      const before = finished(machine);
      await driver.terminals.type(machine, `${line}\r`);
      for (let i = 0; i < 600 && finished(machine) <= before; i++) await new Promise((r) => setTimeout(r, 100));
    },
    /** Waits (up to 60 s) until the terminal shows `pattern` after position `since` of its plain text. */
    async waitFor(machine: string, pattern: RegExp, since: number): Promise<void> {
      for (let i = 0; i < 600 && !pattern.test(plain(machine).slice(since)); i++)
        await new Promise((r) => setTimeout(r, 100));
    },
  };
}
