/** Values glued to the next option (`--dport 80-j`): a slip worth naming, then read as meant. */
import { ALL_OPTIONS, CORE_OPTIONS, resolveLong, resolveShort, type OptionSpec } from './options';
import { canonicalIcmpType } from './icmp-types';
import { canonicalProtocol } from './protocols';
import { report, type RuleState } from './rule-state';
import { parsePortList, parsePortRange } from './services';

/** Validators for values that are often glued to the next option (`--dport 80-j`). */
function valueIsValid(spec: OptionSpec, value: string): boolean | undefined {
  switch (spec.name) {
    case 'dport':
    case 'sport':
      return parsePortRange(value) !== undefined;
    case 'dports':
    case 'sports':
    case 'ports':
      return !('bad' in parsePortList(value));
    case 'protocol':
      return canonicalProtocol(value) !== undefined;
    case 'icmp-type':
      return canonicalIcmpType(value) !== undefined;
    default:
      return undefined;
  }
}

/** Splits `80-j` into `80` and `-j` when that is clearly what was meant. */
export function unglue(s: RuleState, spec: OptionSpec, value: string): [string, string] | undefined {
  if (valueIsValid(spec, value) !== false) return undefined;
  const m = /^(.+?)(--?[A-Za-z][\w-]*)$/.exec(value);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  const [, head, tail] = m;
  if (valueIsValid(spec, head) !== true) return undefined;
  const tailOk = tail.startsWith('--')
    ? resolveLong(tail.slice(2), ALL_OPTIONS).kind === 'found'
    : resolveShort(tail.charAt(1), CORE_OPTIONS) !== undefined && tail.length === 2;
  if (!tailOk) return undefined;
  const what = spec.name.includes('port') ? 'a port' : `a valid ${spec.name} value`;
  report(s, 'error', 'value-glued-to-option', `\`${value}\` is not ${what}; put a space before ${tail}`);
  return [head, tail];
}
