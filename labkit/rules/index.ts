/** Public API of the iptables rule model used by lab checkers. */
export type {
  ChainModel,
  CommentedRule,
  Counters,
  NegatableField,
  Problem,
  ProblemCode,
  Rule,
  RuleMatches,
  RulesetModel,
  Severity,
  TableModel,
  TcpFlags,
} from './types';
export { parseRulesFile } from './parse-file';
export { BUILTIN_CHAINS } from './file-tables';
export { parseRuleCommand, type RuleCommand } from './command';
export { parseRuleArgs, type ParsedArgs } from './parse-args';
export type { CommandAction, CommandInfo } from './rule-state';
export { tokenize, type TokenizeMode, type TokenizeResult } from './tokenize';
export { formatRule, ruleKey, describeRule, type FormatOptions } from './format';
export {
  ruleEquals,
  chainEquals,
  rulesetEquivalent,
  diffChainRules,
  type EquivalenceOptions,
  type EquivalenceResult,
} from './compare';
export {
  getTable,
  getChain,
  findRules,
  findRuleIndex,
  parseRuleSpec,
  isUnconditional,
  indexOfFinalReject,
  unreachableRules,
  type RulePredicate,
} from './query';
export {
  evaluatePacket,
  accepts,
  acceptsIcmpFrom,
  acceptsTcpFrom,
  type EvaluateOptions,
  type EvaluationResult,
  type TraceStep,
  type Verdict,
} from './evaluate';
export { refusedForCertain, MAX_UNCERTAIN_RULES } from './certain';
export type { Packet, ConnState } from './packet-match';
export { canonicalProtocol, protocolNumber } from './protocols';
export { canonicalNetwork, networkContains, parseIpv4 } from './address';
export {
  verdictsBySource,
  sourcePieces,
  networkRange,
  rangeContains,
  mergeRanges,
  rangeToNetworks,
  rangeSize,
  describeRanges,
  exampleAddress,
  addressIn,
  type AddressRange,
  type SourceVerdict,
} from './sources';
export { canonicalIcmpType } from './icmp-types';
export { portNumber, parsePortRange, portInSpecs } from './services';
export { canonicalRejectWith, DEFAULT_REJECT_WITH } from './targets';
export { hasErrors } from './problems';
