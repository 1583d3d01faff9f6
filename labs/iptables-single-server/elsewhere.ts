/**
 * Rules outside the filter table's INPUT path that change what the clients see: the raw,
 * mangle, nat and security tables, the filter table's OUTPUT chain, tables loaded with
 * iptables-legacy, and traffic control on Machine 1's interfaces. The lab grades the filter
 * table; a DROP in raw can make a wrong filter rule look right to any probe, so such rules are
 * named instead of ignored. Read from the host, in Machine 1's network namespace.
 */
import { describeRule, getTable, parseRulesFile, type Rule, type RulesetModel } from '../../labkit/rules';
import type { CheckContext } from '../../labkit/types';
import { RULES_FILE } from './machines';

/** Targets that only log, count or mark for tracing: they change no packet's fate. */
const HARMLESS = new Set(['LOG', 'NFLOG', 'ULOG', 'TRACE', 'ACCEPT']);
const OTHER_TABLES = ['raw', 'mangle', 'nat', 'security'];
/** Docker's embedded DNS resolver (127.0.0.11) lives in every container's nat table. */
const DOCKER_DNS = '127.0.0.11/32';

const isDockerDns = (table: string, chain: string, rule: Rule): boolean =>
  table === 'nat' && (chain.startsWith('DOCKER_') || rule.destination === DOCKER_DNS || rule.source === DOCKER_DNS);

export interface ElsewhereRule {
  table: string;
  chain: string;
  /** 0-based index in its chain. */
  index: number;
  text: string;
}

/** Rules and policies of `model` outside filter INPUT that can change a packet's fate. */
export function rulesElsewhere(model: RulesetModel): ElsewhereRule[] {
  const found: ElsewhereRule[] = [];
  for (const table of model.tables) {
    const filterOutput = table.name === 'filter';
    if (!filterOutput && !OTHER_TABLES.includes(table.name)) continue;
    for (const chain of table.chains) {
      if (filterOutput && chain.name !== 'OUTPUT') continue;
      if (chain.builtin && chain.policy !== 'ACCEPT' && chain.policy !== '-')
        found.push({ table: table.name, chain: chain.name, index: -1, text: `-P ${chain.name} ${chain.policy}` });
      chain.rules.forEach((rule, index) => {
        if (rule.target === undefined || HARMLESS.has(rule.target)) return;
        if (isDockerDns(table.name, chain.name, rule)) return;
        found.push({ table: table.name, chain: chain.name, index, text: describeRule(rule) });
      });
    }
  }
  return found;
}

function explain(where: string, r: ElsewhereRule, remove: string): string {
  const what = r.index < 0 ? `the policy \`${r.text}\`` : `\`${r.text}\``;
  const table = r.table === 'filter' ? `the ${r.chain} chain` : `the ${r.table} table`;
  return (
    `${where} has ${what} in ${table}. Rules there change what the clients see, around the filter rules this lab is about, ` +
    `so a test from Machine 2 or office-pc no longer shows what RH-Firewall-1-INPUT does. ${remove}, and make the change in RH-Firewall-1-INPUT instead.`
  );
}

const removal = (program: string, r: ElsewhereRule): string =>
  r.index < 0
    ? `Set it back with \`${program} -t ${r.table} -P ${r.chain} ACCEPT\``
    : `Delete it with \`${program} -t ${r.table} -D ${r.chain} ${r.index + 1}\``;

/**
 * A message naming the first rule elsewhere, in the running firewall, the legacy tables, traffic
 * control, or the rules file (which a restart would load); undefined when there is none.
 */
export async function changedElsewhere(ctx: CheckContext, fileText: string): Promise<string | undefined> {
  const r = await ctx.netnsExec('machine1', [
    'bash',
    '-c',
    'iptables-nft-save; echo "#@legacy"; iptables-legacy-save 2>/dev/null; echo "#@tc"; tc qdisc show 2>/dev/null',
  ]);
  if (r.exitCode !== 0) throw new Error(`could not read Machine 1's other tables: ${r.stderr.trim()}`);
  const [nft = '', rest = ''] = r.stdout.split('#@legacy\n');
  const [legacy = '', tc = ''] = rest.split('#@tc\n');
  const live = rulesElsewhere(parseRulesFile(nft))[0];
  if (live) return explain('Machine 1', live, removal('iptables', live));
  const old = rulesElsewhere(parseRulesFile(legacy))[0] ?? legacyFilterRule(parseRulesFile(legacy));
  if (old) return explain('Machine 1 (loaded with `iptables-legacy`)', old, removal('iptables-legacy', old));
  const shaping = tc.split('\n').find((line) => line.trim() && !/^qdisc noqueue\b/.test(line));
  if (shaping)
    return `Machine 1 has traffic control on its interfaces (\`${shaping.trim()}\`), which changes what the clients see around the firewall. Remove it with \`tc qdisc del dev <interface> root\` (or \`ingress\`).`;
  const saved = rulesElsewhere(parseRulesFile(fileText))[0];
  if (saved)
    return explain(
      `\`${RULES_FILE}\` (loaded at every restart)`,
      saved,
      `Remove that line from the ${saved.table === 'filter' ? 'OUTPUT chain' : `\`*${saved.table}\` section`}`,
    );
  return undefined;
}

/** A legacy filter rule anywhere: the lab's firewall is the nf_tables one, so any rule there is foreign. */
function legacyFilterRule(model: RulesetModel): ElsewhereRule | undefined {
  for (const chain of getTable(model, 'filter')?.chains ?? []) {
    const index = chain.rules.findIndex((rule) => rule.target !== undefined && !HARMLESS.has(rule.target));
    const rule = chain.rules[index];
    if (rule) return { table: 'filter', chain: chain.name, index, text: describeRule(rule) };
    if (chain.builtin && chain.policy === 'DROP')
      return { table: 'filter', chain: chain.name, index: -1, text: `-P ${chain.name} DROP` };
  }
  return undefined;
}
