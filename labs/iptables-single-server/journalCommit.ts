/**
 * Step 11 judged from the lab journal: at a restart Machine 1's shell reported, the host saw the
 * running firewall go empty while the rules file (as the host read it then) had no COMMIT. A
 * restore that fails for another reason (a fake `iptables-restore`) leaves a file with COMMIT.
 */
import { clock } from '../../labkit/journalEvidence';
import type { JournalFile, JournalRuleset, LabJournal } from '../../labkit/journal';
import { parseRulesFile } from '../../labkit/rules';
import { RULES_FILE } from './machines';
import { isServiceCommand } from './ruleCommands';

/** A ruleset read this long after the restart still shows its effect (reads wait on a busy host). */
const READ_GRACE_MS = 60_000;

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
  const atRestart = emptied.filter((r) => restarts.some((c) => c.at <= r.at && r.at - c.at <= READ_GRACE_MS));
  const seen = atRestart.find((r) => lacksCommit(fileAt(r.at)));
  if (seen) {
    return {
      passed: true,
      message: `At ${clock(seen.at)} the host saw Machine 1's firewall left empty by your restart, while \`${RULES_FILE}\` had no COMMIT line: iptables-restore applied nothing.`,
    };
  }
  if (atRestart.length > 0)
    return {
      passed: false,
      message: `The host saw Machine 1's firewall go empty at a restart (${clock(atRestart[0]?.at ?? 0)}), but \`${RULES_FILE}\` still had its COMMIT line then, so that is not the failure this step is about. Delete the COMMIT line and restart iptables.`,
    };
  return {
    passed: false,
    message:
      "The host has not seen a restart leave Machine 1 without a firewall yet. Delete the COMMIT line, then run `service iptables restart` in Machine 1's terminal.",
  };
}
