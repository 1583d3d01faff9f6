/** "More iptables": the rest of the chapter's single-server rules, on a service of each learner's own, and the ways admins lose their firewall. */
import { readFileSync } from 'node:fs';
import { labText } from '../../labkit/content';
import type { CheckContext, LabModule } from '../../labkit/types';
import { addrs, RULES_FILE } from './machine1';
import { findAgent } from './steps/01-find-agent';
import { officeOnly } from './steps/02-office-only';
import { negate } from './steps/03-negate';
import { officeSaved } from './steps/04-office-saved';
import { stateOff } from './steps/05-state-off';
import { stateOn } from './steps/06-state-on';
import { tcpReset } from './steps/07-tcp-reset';
import { ipsec } from './steps/08-ipsec';
import { lockedOut } from './steps/09-locked-out';
import { safeguard } from './steps/10-safeguard';
import { wrappers } from './steps/11-wrappers';
import { overwritten, PROP } from './steps/12-overwritten';
import { chapterTopology as topology } from '../shared/chapterTopology';

const SERVICES = '/etc/iptables-lab/services';
const RESPONDER = '/usr/local/lib/iptables-lab/service-responder';
/** The stand-in for the old security level tool, a shell script kept with this lab. */
const PROP_SCRIPT = readFileSync(new URL('./props/lab-prop-securitylevel', import.meta.url)).toString('base64');

/**
 * Gives Machine 1 this learner's agent: listed for every boot (lab-boot starts what SERVICES
 * names), started now, and opened to everyone in the saved rules, the way a colleague left it.
 * Installs the lab's prop tool beside it.
 * Idempotent: a second run changes nothing.
 */
async function setup(ctx: CheckContext): Promise<void> {
  const { port } = addrs(ctx.view);
  const rule = `-A RH-Firewall-1-INPUT -m state --state NEW -m tcp -p tcp --dport ${port} -j ACCEPT`;
  const script = [
    'set -e',
    `echo ${PROP_SCRIPT} | base64 -d > ${PROP} && chmod 755 ${PROP}`,
    `mkdir -p ${SERVICES.replace(/\/[^/]+$/, '')}`,
    `grep -qx '${port} agent' ${SERVICES} 2>/dev/null || echo '${port} agent' >> ${SERVICES}`,
    `ss -Hltn 'sport = :${port}' | grep -q . || setsid bash -c 'while :; do socat TCP4-LISTEN:${port},fork,reuseaddr,backlog=128 SYSTEM:"${RESPONDER} agent"; sleep 1; done' >/dev/null 2>&1 </dev/null &`,
    `grep -q -- '--dport ${port} ' ${RULES_FILE} || { sed -i '/-j REJECT/i ${rule}' ${RULES_FILE} && service iptables restart >/dev/null; }`,
  ].join('\n');
  // Generous: a loaded host can take long to exec; setup runs once per fresh machines.
  const r = await ctx.sh('machine1', script, 60_000);
  if (r.exitCode !== 0)
    throw new Error(
      `could not set up the agent on port ${port} (exit ${r.exitCode}${r.timedOut ? ', timed out' : ''}): ${r.stderr}`,
    );
}

export const moreRulesLab: LabModule = {
  id: 'iptables-more-rules',
  ...labText(new URL('./lab.md', import.meta.url)),
  topology,
  parameters: { agentPort: { kind: 'port', min: 7000, max: 7999 } },
  setup,
  journalFiles: { machine1: [RULES_FILE] },
  firewalls: [{ machineId: 'machine1', rulesFile: RULES_FILE, service: 'iptables' }],
  steps: [
    findAgent,
    officeOnly,
    negate,
    officeSaved,
    stateOff,
    stateOn,
    tcpReset,
    ipsec,
    lockedOut,
    safeguard,
    wrappers,
    overwritten,
  ],
};
