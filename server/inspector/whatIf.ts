/** "What if a packet …": the rule model's verdict, the deciding rule and every rule passed over. */
import { evaluatePacket, formatRule, type ChainModel, type Packet, type RulesetModel } from '../../labkit/rules';
import type { LineMap } from './fileLines';
import type { PathStep, WhatIfAnswer } from '../../protocol/inspector';
import { whyNot } from './whyNot';

export interface WhatIfSource {
  source: 'running' | 'file';
  ruleset: RulesetModel;
  /** For running rules: their file lines. Rules parsed from the file carry their own line. */
  lines?: LineMap;
}

export function answerWhatIf({ source, ruleset, lines }: WhatIfSource, packet: Packet): WhatIfAnswer {
  const result = evaluatePacket(ruleset, packet);
  const table = ruleset.tables.find((t) => t.name === (packet.table ?? 'filter'));
  const chainByName = (name: string): ChainModel | undefined => table?.chains.find((c) => c.name === name);
  const lineOf = (chain: string, index: number): number | undefined =>
    lines ? lines.get(chain)?.[index] : chainByName(chain)?.rules[index]?.line;
  const step = (chain: ChainModel, index: number, effect: PathStep['effect'], reason?: string): PathStep => {
    const rule = chain.rules[index];
    const fileLine = lineOf(chain.name, index);
    return {
      chain: chain.name,
      number: index + 1,
      text: rule ? formatRule(rule) : '',
      effect,
      ...(fileLine === undefined ? {} : { fileLine }),
      ...(reason === undefined ? {} : { reason }),
    };
  };
  const path: PathStep[] = [];
  const passOver = (chain: ChainModel, from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const rule = chain.rules[i];
      if (rule) path.push(step(chain, i, 'passed', whyNot(rule, packet) ?? 'does not match'));
    }
  };
  // Replays the evaluator's matches to find the rules between them, which it passed over.
  const start = chainByName(packet.chain ?? 'INPUT');
  const stack: { chain: ChainModel; pos: number }[] = [];
  let cur = start ? { chain: start, pos: 0 } : undefined;
  for (const hit of result.trace) {
    while (cur && hit.chain !== cur.chain.name) {
      passOver(cur.chain, cur.pos, cur.chain.rules.length);
      cur = stack.pop();
    }
    if (!cur) break;
    passOver(cur.chain, cur.pos, hit.index);
    path.push(step(cur.chain, hit.index, hit.effect));
    cur.pos = hit.index + 1;
    const target = hit.rule.target === undefined ? undefined : chainByName(hit.rule.target);
    if (hit.effect === 'jump' && target) {
      stack.push(cur);
      cur = { chain: target, pos: 0 };
    } else if (hit.effect === 'goto' && target) cur = { chain: target, pos: 0 };
    else if (hit.effect === 'return') cur = stack.pop();
  }
  if (result.rule === undefined) {
    while (cur) {
      passOver(cur.chain, cur.pos, cur.chain.rules.length);
      cur = stack.pop();
    }
  }
  const decidingChain = chainByName(result.chain);
  const deciding =
    result.rule && decidingChain && result.index !== undefined
      ? step(decidingChain, result.index, 'verdict')
      : undefined;
  const answer: WhatIfAnswer = {
    source,
    verdict: result.verdict,
    byPolicy: result.byPolicy,
    chain: result.chain,
    path,
    notes: result.assumptions,
    summary: summarize(source, result.verdict, deciding, result.chain),
  };
  if (deciding)
    answer.deciding = {
      chain: deciding.chain,
      number: deciding.number,
      text: deciding.text,
      ...(deciding.fileLine === undefined ? {} : { fileLine: deciding.fileLine }),
    };
  if (result.rejectWith !== undefined) answer.rejectWith = result.rejectWith;
  return answer;
}

function summarize(
  source: WhatIfAnswer['source'],
  verdict: string,
  deciding: PathStep | undefined,
  chain: string,
): string {
  const who = source === 'running' ? 'The running rules' : 'The file';
  const verb =
    verdict === 'ACCEPT'
      ? 'accept'
      : verdict === 'REJECT'
        ? 'reject'
        : verdict === 'DROP'
          ? 'drop'
          : verdict.toLowerCase();
  if (!deciding) return `${who} would ${verb} it by the policy of ${chain}.`;
  const where =
    deciding.fileLine === undefined
      ? `rule ${deciding.number} of ${deciding.chain}`
      : `line ${deciding.fileLine} (rule ${deciding.number} of ${deciding.chain})`;
  return `${who} would ${verb} it at ${where}.`;
}
