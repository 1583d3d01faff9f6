/** "iptables and the Single Server": the chapter's exercises as twelve graded steps. */
import { chapterTopology } from './topology';
import type { LabModule } from '../../labkit/types';
import { BOOK_FILE, MISPRINTED_RULES } from './bookFiles';
import { RULES_FILE } from './machines';
import { labText } from '../../labkit/content';
import { tour } from './steps/01-tour';
import { backup } from './steps/02-backup';
import { baselineScan } from './steps/03-baseline-scan';
import { BAK, icmpOff } from './steps/04-icmp-off';
import { icmpOn } from './steps/05-icmp-on';
import { drop } from './steps/06-drop';
import { outsiders } from './steps/07-outsiders';
import { apache } from './steps/08-apache';
import { rescan } from './steps/09-rescan';
import { ruleOrder } from './steps/10-rule-order';
import { commit } from './steps/11-commit';
import { fixFile } from './steps/12-fix-file';

export const singleServerLab: LabModule = {
  id: 'iptables-single-server',
  ...labText(new URL('./lab.md', import.meta.url)),
  topology: chapterTopology,
  /** Installs the misprinted copy of the chapter's rules that step 12 asks the learner to fix. */
  async setup(ctx) {
    const content = Buffer.from(MISPRINTED_RULES).toString('base64');
    const r = await ctx.sh(
      'machine1',
      `[ -e ${BOOK_FILE} ] || { echo ${content} | base64 -d > ${BOOK_FILE} && chmod 600 ${BOOK_FILE}; }`,
    );
    if (r.exitCode !== 0) throw new Error(`could not install ${BOOK_FILE}: ${r.stderr}`);
  },
  journalFiles: {
    machine1: [RULES_FILE, BAK, '/root/iptables-before-commit-test'],
    machine2: ['/root/first-scan.txt', '/root/second-scan.txt'],
    'office-pc': ['/root/second-scan.txt'],
  },
  firewalls: [{ machineId: 'machine1', rulesFile: '/etc/sysconfig/iptables', service: 'iptables' }],
  steps: [tour, backup, baselineScan, icmpOff, icmpOn, drop, outsiders, apache, rescan, ruleOrder, commit, fixFile],
};
