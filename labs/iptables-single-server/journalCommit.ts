/**
 * Step 11 judged from the lab journal: at a restart Machine 1's shell reported (the pointer), the
 * host saw the running firewall go empty, and the rules file as it was when the host saw that
 * change begin had no COMMIT. A restore that fails for another reason (a fake `iptables-restore`)
 * leaves a file with COMMIT at that moment, so it does not count.
 */
import { clock } from '../../labkit/journalEvidence';
import type { JournalFile, JournalRuleset, LabJournal } from '../../labkit/journal';
import { parseRulesFile } from '../../labkit/rules';
import { RULES_FILE } from './machines';
import { isServiceCommand } from './ruleCommands';

/** A ruleset read this long after the restart still shows its effect (reads wait on a busy host). */
const READ_GRACE_MS = 60_000;
/** The shell's report of a command and the kernel's announcement of a change arrive by different paths. */
const REPORT_SLACK_MS = 5_000;

const lacksCommit = (f: JournalFile | undefined): boolean =>
  f?.text !== undefined && parseRulesFile(f.text).problems.some((p) => p.code === 'missing-commit');

export async function failedLoadFromJournal(journal: LabJournal): Promise<{ passed: boolean; message: string }> {
  const rulesets = (await journal.events('ruleset')).filter((r) => r.machineId === 'machine1');
  const files = (await journal.events('file')).filter((f) => f.machineId === 'machine1' && f.path === RULES_FILE);
  const restarts = (await journal.events('command')).filter(
    (c) => c.machineId === 'machine1' && isServiceCommand(c.commandLine, ['restart', 'start']),
  );
  const fileAt = (at: number): JournalFile | undefined => files.filter((f) => f.at <= at).pop();
  const emptied = rulesets.filter((r, i): r is JournalRuleset => {
    const before = rulesets[i - 1];
    return r.firewall === 'stopped' && before?.firewall === 'running';
  });
  // With the moment the host saw the change begin, it falls within the restart command; without
  // it (the host could not watch the rules), the read that saw it came after the command.
  const byRestart = (r: JournalRuleset): boolean =>
    restarts.some((c) =>
      r.changedAt !== undefined
        ? c.startedAt - REPORT_SLACK_MS <= r.changedAt && r.changedAt <= c.at + REPORT_SLACK_MS
        : c.at <= r.at && r.at - c.at <= READ_GRACE_MS,
    );
  const atRestart = emptied.filter(byRestart);
  const seen = atRestart.find((r) => lacksCommit(fileAt(r.changedAt ?? r.at)));
  if (seen) {
    return {
      passed: true,
      message: `At ${clock(seen.changedAt ?? seen.at)} the host saw your restart leave Machine 1's firewall empty, while \`${RULES_FILE}\` had no COMMIT line: iptables-restore applied nothing.`,
    };
  }
  if (atRestart.length > 0)
    return {
      passed: false,
      message: `The host saw Machine 1's firewall go empty at a restart (${clock(atRestart[0]?.changedAt ?? atRestart[0]?.at ?? 0)}), but \`${RULES_FILE}\` still had its COMMIT line then, so that is not the failure this step is about. Delete the COMMIT line and restart iptables.`,
    };
  return {
    passed: false,
    message:
      "The host has not seen a restart leave Machine 1 without a firewall yet. Delete the COMMIT line, then run `service iptables restart` in Machine 1's terminal.",
  };
}
