/**
 * Tiny packet evaluator: walks a table's chains the way netfilter does
 * (first match wins, jumps to user chains, RETURN, -g goto, policy at the end).
 */
import { ruleMatchesPacket, type Packet } from './packet-match';
import { getTable } from './query';
import type { ChainModel, Rule, RulesetModel } from './types';

/** 'RETURN' only when evaluation started in a user chain and nothing decided. */
export type Verdict = 'ACCEPT' | 'DROP' | 'REJECT' | 'QUEUE' | 'RETURN';

export interface TraceStep {
  chain: string;
  /** 0-based index of the rule in its chain. */
  index: number;
  rule: Rule;
  /** What the matching rule did. */
  effect: 'verdict' | 'jump' | 'goto' | 'return' | 'continue';
}

export interface EvaluationResult {
  verdict: Verdict;
  /** The rule that decided; absent when the chain policy decided. */
  rule?: Rule;
  /** Chain of the deciding rule (or whose policy decided). */
  chain: string;
  /** 0-based index of the deciding rule. */
  index?: number;
  byPolicy: boolean;
  /** For REJECT: the ICMP/TCP reason sent back. */
  rejectWith?: string;
  /** Every rule that matched, in order. */
  trace: TraceStep[];
  /** Things the evaluator could not check exactly (unknown matches, missing packet fields, load errors). */
  assumptions: string[];
}

export interface EvaluateOptions {
  /** Ignore rules iptables would have refused (valid === false). Default false. */
  skipInvalid?: boolean;
}

const VERDICTS: Readonly<Record<string, Verdict>> = {
  ACCEPT: 'ACCEPT',
  DROP: 'DROP',
  REJECT: 'REJECT',
  QUEUE: 'QUEUE',
  NFQUEUE: 'QUEUE',
};
const MAX_STEPS = 100_000;
const MAX_DEPTH = 64;

interface Frame {
  chain: ChainModel;
  next: number;
}

export function evaluatePacket(ruleset: RulesetModel, packet: Packet, opts: EvaluateOptions = {}): EvaluationResult {
  const assumptions: string[] = [];
  const trace: TraceStep[] = [];
  if (!ruleset.ok) assumptions.push('the ruleset has errors; iptables-restore would refuse to load it');
  const table = getTable(ruleset, packet.table ?? 'filter');
  const startName = packet.chain ?? 'INPUT';
  const start = table?.chains.find((c) => c.name === startName);
  if (!start) {
    assumptions.push(`chain ${startName} not found; the kernel default policy ACCEPT applies`);
    return { verdict: 'ACCEPT', chain: startName, byPolicy: true, trace, assumptions };
  }
  const base = start;
  const policy = (): EvaluationResult => {
    if (!base.builtin) return { verdict: 'RETURN', chain: base.name, byPolicy: false, trace, assumptions };
    const verdict = VERDICTS[base.policy] ?? 'ACCEPT';
    return { verdict, chain: base.name, byPolicy: true, trace, assumptions };
  };
  // Frames to resume after RETURN; the current frame is `cur`.
  const stack: Frame[] = [];
  let cur: Frame = { chain: start, next: 0 };
  for (let steps = 0; steps < MAX_STEPS; steps++) {
    const rule = cur.chain.rules[cur.next];
    if (!rule) {
      // Falling off a built-in chain applies its policy; a user chain returns to its caller.
      const caller = cur.chain.builtin ? undefined : stack.pop();
      if (!caller) return policy();
      cur = caller;
      continue;
    }
    const index = cur.next++;
    if (opts.skipInvalid && rule.valid === false) continue;
    if (!ruleMatchesPacket(rule, packet, assumptions)) continue;
    const t = rule.target;
    const step = (effect: TraceStep['effect']): void => void trace.push({ chain: cur.chain.name, index, rule, effect });
    const verdict = t === undefined ? undefined : VERDICTS[t];
    if (verdict) {
      step('verdict');
      const out: EvaluationResult = {
        verdict,
        rule,
        chain: cur.chain.name,
        index,
        byPolicy: false,
        trace,
        assumptions,
      };
      if (verdict === 'REJECT') out.rejectWith = rule.targetOptions['reject-with'] ?? 'icmp-port-unreachable';
      return out;
    }
    if (t === 'RETURN') {
      step('return');
      const caller = stack.pop();
      if (!caller) return policy();
      cur = caller;
      continue;
    }
    const target = t === undefined ? undefined : table?.chains.find((c) => c.name === t && !c.builtin);
    if (!target) {
      step('continue');
      if (t !== undefined && !['LOG', 'NFLOG', 'ULOG', 'MARK', 'CONNMARK', 'CT', 'NOTRACK', 'TRACE'].includes(t)) {
        assumptions.push(`target ${t} treated as non-terminating`);
      }
      continue;
    }
    step(rule.goto ? 'goto' : 'jump');
    if (!rule.goto) stack.push(cur);
    if (stack.length > MAX_DEPTH) {
      assumptions.push('jump depth exceeded (chain loop?); packet dropped');
      return { verdict: 'DROP', rule, chain: cur.chain.name, index, byPolicy: false, trace, assumptions };
    }
    cur = { chain: target, next: 0 };
  }
  assumptions.push('evaluation step limit reached; packet dropped');
  return { verdict: 'DROP', chain: cur.chain.name, byPolicy: false, trace, assumptions };
}

/** Convenience: is the packet accepted? */
export function accepts(ruleset: RulesetModel, packet: Packet, opts?: EvaluateOptions): boolean {
  return evaluatePacket(ruleset, packet, opts).verdict === 'ACCEPT';
}

/** Does a ping (ICMP echo-request, NEW) from `src` get accepted on `chain` (default INPUT)? */
export function acceptsIcmpFrom(
  ruleset: RulesetModel,
  src: string,
  extra: Partial<Omit<Packet, 'protocol' | 'src'>> = {},
): boolean {
  return accepts(ruleset, { inInterface: 'eth0', icmpType: 8, ...extra, protocol: 'icmp', src });
}

/** Does a NEW TCP connection from `src` to `dport` get accepted on `chain` (default INPUT)? */
export function acceptsTcpFrom(
  ruleset: RulesetModel,
  src: string,
  dport: number | string,
  extra: Partial<Omit<Packet, 'protocol' | 'src' | 'dport'>> = {},
): boolean {
  return accepts(ruleset, { inInterface: 'eth0', ...extra, protocol: 'tcp', src, dport });
}
