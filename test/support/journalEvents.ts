/**
 * Journal events for tests, as the host records them: each builder fills what a test does not
 * care about, so a test names only what it is about.
 */
import type { JournalCheck, JournalCommand, JournalPacket, JournalRuleset } from '../../labkit/journal';

/** A command the learner's shell reported finished at `at`. */
export const commandEvent = (
  fields: Pick<JournalCommand, 'at' | 'startedAt' | 'machineId' | 'commandLine'> & Partial<JournalCommand>,
): JournalCommand => ({ kind: 'command', source: 'learner', exitCode: 0, ...fields });

/** A check of a step and its verdict. */
export const checkEvent = (
  fields: Pick<JournalCheck, 'at' | 'stepId' | 'passed'> & Partial<JournalCheck>,
): JournalCheck => ({
  kind: 'check',
  message: fields.passed ? 'passed' : 'not yet',
  ...fields,
});

/** A ruleset read from the host, with the firewall running. */
export const rulesetEvent = (
  fields: Pick<JournalRuleset, 'at' | 'machineId' | 'rules'> & Partial<JournalRuleset>,
): JournalRuleset => ({
  kind: 'ruleset',
  hash: String(fields.rules.length),
  reloaded: false,
  firewall: 'running',
  ...fields,
});

/** A packet seen crossing the bridge. */
export const packetEvent = (
  fields: Pick<JournalPacket, 'at' | 'from' | 'src' | 'dst' | 'proto'> & Partial<JournalPacket>,
): JournalPacket => ({ kind: 'packet', ...fields });
