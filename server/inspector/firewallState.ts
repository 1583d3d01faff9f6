/** The running filter table and the rules file of a machine, parsed once and shown many ways. */
import { parseRulesFile, rulesetEquivalent, formatRule, ruleKey, type RulesetModel } from '../../labkit/rules';
import { matchFileLines, type LineMap } from './fileLines';
import type { ChainView, FileView, FirewallSnapshot } from '../../protocol/inspector';
import { readableRule } from './readableRule';
import { parseRestoreError } from './restoreError';

export interface FirewallReadings {
  machineId: string;
  /** Where the lab keeps this machine's saved rules. */
  rulesFile: string;
  /** `iptables-save -c -t filter` of the running machine. */
  liveText: string;
  /** The rules file; undefined when it does not exist. */
  fileText?: string;
  /** Set instead of fileText when the file is larger than the server reads. */
  fileTooLarge?: { limitBytes: number };
  /** `iptables-restore --test` on the file: undefined when it was not run. */
  restoreTest?: { ok: boolean; output: string };
  fileModifiedAt?: number;
  /** When the firewall service last started successfully; undefined when stopped. */
  startedAt?: number;
}

export interface FirewallState {
  live: RulesetModel;
  file?: RulesetModel;
  lines: LineMap;
  snapshot: FirewallSnapshot;
}

export function firewallState(readings: FirewallReadings, at = Date.now()): FirewallState {
  const live = parseRulesFile(readings.liveText);
  const file = readings.fileText === undefined ? undefined : parseRulesFile(readings.fileText);
  const { lines, unused } = matchFileLines(live, file);
  const names = new Set(live.tables.flatMap((t) => t.chains.map((c) => c.name)));
  const chains: ChainView[] = (live.tables.find((t) => t.name === 'filter')?.chains ?? []).map((chain) => {
    return {
      name: chain.name,
      policy: chain.policy,
      builtin: chain.builtin,
      packets: chain.counters?.packets ?? 0,
      bytes: chain.counters?.bytes ?? 0,
      rules: chain.rules.map((rule, i) => {
        const fileLine = lines.get(chain.name)?.[i];
        return {
          number: i + 1,
          text: formatRule(rule),
          readable: readableRule(rule),
          ...(rule.target !== undefined && names.has(rule.target) ? { jump: rule.target } : {}),
          packets: rule.counters?.packets ?? 0,
          bytes: rule.counters?.bytes ?? 0,
          ...(fileLine === undefined ? {} : { fileLine }),
        };
      }),
    };
  });
  const fileView: FileView = {
    path: readings.rulesFile,
    problems: (file?.problems ?? []).map(({ line, message, severity }) => ({ line, message, severity })),
    notRunning: unused,
    commentedButRunning: commentedButRunning(live, file, lines),
  };
  if (readings.fileText !== undefined) fileView.text = readings.fileText;
  if (readings.fileTooLarge) fileView.tooLarge = readings.fileTooLarge;
  if (readings.restoreTest && !readings.restoreTest.ok)
    fileView.restoreError = parseRestoreError(readings.restoreTest.output);
  const compared = file
    ? rulesetEquivalent(live, file, { ignoreLoadErrors: true })
    : {
        equal: false,
        differences: [
          readings.fileTooLarge
            ? `${readings.rulesFile} is too large to compare (over ${readings.fileTooLarge.limitBytes} bytes)`
            : `${readings.rulesFile} does not exist`,
        ],
      };
  const loads = fileView.restoreError === undefined && (file?.ok ?? false);
  return {
    live,
    ...(file ? { file } : {}),
    lines,
    snapshot: {
      machineId: readings.machineId,
      at,
      chains,
      file: fileView,
      inSync: compared.equal && loads,
      differences: compared.differences.map(fromFileToRunning),
      ...(compared.equal && loads ? {} : { changed: whichSide(readings) }),
    },
  };
}

function whichSide({ startedAt, fileModifiedAt }: FirewallReadings): 'file' | 'running' | 'stopped' {
  if (startedAt === undefined) return 'stopped';
  return fileModifiedAt !== undefined && fileModifiedAt > startedAt ? 'file' : 'running';
}

/** A rule the learner commented out in the file but that still runs, because nothing restarted. */
function commentedButRunning(live: RulesetModel, file: RulesetModel | undefined, lines: LineMap): number[] {
  const unmatched = new Set<string>();
  for (const chain of live.tables.find((t) => t.name === 'filter')?.chains ?? []) {
    chain.rules.forEach((rule, i) => {
      if (lines.get(chain.name)?.[i] === undefined) unmatched.add(ruleKey(rule));
    });
  }
  return (file?.commentedRules ?? []).filter((c) => unmatched.has(ruleKey(c.rule))).map((c) => c.line);
}

/** compare.ts words it as expected/found; here "expected" is what runs and "found" is the file. */
function fromFileToRunning(text: string): string {
  return text
    .replace(/expected `([^`]*)`, found `([^`]*)` \(line (\d+)\)/, 'running is `$1`, the file has `$2` on line $3')
    .replace(/expected `([^`]*)`, found `([^`]*)`/, 'running is `$1`, the file has `$2`')
    .replace(/expected `([^`]*)`, found nothing/, 'running `$1`, which is not in the file')
    .replace(/unexpected `([^`]*)` \(line (\d+)\)/, 'the file has `$1` on line $2, which is not running')
    .replace(/unexpected `([^`]*)`/, 'the file has `$1`, which is not running')
    .replace(/expected policy (\S+), found (\S+)/, 'running policy is $1, the file sets $2')
    .replace(/expected it, found nothing/, 'runs, but is not in the file')
    .replace(/unexpected chain/, 'is in the file, but not running');
}
