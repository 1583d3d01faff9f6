/**
 * Turns one option word (`-p`, `--dport`, `--dp=80`, `-icmp-type`) into the option it names, the way
 * getopt_long would, and reports why a word names none: a module not loaded, a typo, one dash.
 */
import {
  ALL_LONG_NAMES,
  ALL_OPTIONS,
  COMMAND_OPTIONS,
  CORE_OPTIONS,
  MODULE_OPTIONS,
  modulesProviding,
  resolveLong,
  resolveShort,
  type OptionSpec,
} from './options';
import { report, type RuleState } from './rule-state';
import { closest } from './suggest';
import { KNOWN_TARGETS } from './targets';

export type Resolved =
  { kind: 'spec'; spec: OptionSpec; inline?: string } | { kind: 'generic'; name: string } | { kind: 'skip' };

const BASIC_TARGETS = new Set(['ACCEPT', 'DROP', 'RETURN', 'QUEUE']);

/** Options usable at this point: core + loaded matches + the protocol's implicit match + the target's options. */
function available(s: RuleState): OptionSpec[] {
  const mods = new Set(s.modules);
  const p = s.rule.protocol;
  if (p !== undefined && !s.rule.negated.protocol) mods.add(p === 'ipv6-icmp' ? 'icmp6' : p);
  const out = [...COMMAND_OPTIONS, ...CORE_OPTIONS];
  for (const m of mods) out.push(...(MODULE_OPTIONS[m] ?? []));
  if (s.rule.target !== undefined) out.push(...(MODULE_OPTIONS[`target:${s.rule.target}`] ?? []));
  return out;
}

function needsModuleMessage(opt: string, mods: string[]): string {
  if (mods.includes('tcp') || mods.includes('udp'))
    return `\`--${opt}\` needs \`-p tcp\` or \`-p udp\` (or \`-m tcp\`) before it`;
  const [mod = ''] = mods;
  if (mod.startsWith('target:')) return `\`--${opt}\` only works after \`-j ${mod.slice(7)}\``;
  if (mod === 'icmp') return `\`--${opt}\` needs \`-p icmp\` before it`;
  return `\`--${opt}\` needs \`-m ${mod}\` before it`;
}

/** Whether unknown `--x` options should be swallowed as belonging to an unknown module or target. */
function genericContext(s: RuleState): boolean {
  if (s.targetSeen) {
    const t = s.rule.target ?? '';
    return KNOWN_TARGETS.has(t) && !BASIC_TARGETS.has(t) && MODULE_OPTIONS[`target:${t}`] === undefined;
  }
  return s.genericModule !== undefined;
}

function resolveLongToken(s: RuleState, tok: string): Resolved {
  const eq = tok.indexOf('=');
  const name = eq > 0 ? tok.slice(2, eq) : tok.slice(2);
  const inline = eq > 0 ? tok.slice(eq + 1) : undefined;
  const res = resolveLong(name, available(s));
  const withInline = (spec: OptionSpec): Resolved =>
    inline === undefined ? { kind: 'spec', spec } : { kind: 'spec', spec, inline };
  if (res.kind === 'found') {
    if (res.abbreviated) {
      report(
        s,
        'warning',
        'abbreviated-option',
        `\`--${name}\` is an abbreviation of \`--${res.spec.long[0]}\`; iptables accepts it, but write it in full`,
      );
    }
    return withInline(res.spec);
  }
  if (res.kind === 'ambiguous') {
    report(
      s,
      'error',
      'ambiguous-option',
      `\`--${name}\` is ambiguous (${res.candidates.map((c) => `--${c}`).join(', ')})`,
    );
    return { kind: 'skip' };
  }
  if (genericContext(s)) return { kind: 'generic', name };
  const mods = modulesProviding(name);
  const spec = ALL_OPTIONS.find((o) => o.long.includes(name));
  if (spec && mods.length) {
    report(s, 'error', 'match-needs-module', needsModuleMessage(name, mods));
    return withInline(spec);
  }
  const hint = closest(name, ALL_LONG_NAMES);
  report(s, 'error', 'unknown-option', `unknown option \`--${name}\`${hint ? ` — did you mean \`--${hint}\`?` : ''}`);
  return { kind: 'skip' };
}

export function resolveToken(s: RuleState, tok: string): Resolved {
  if (tok.startsWith('--')) return resolveLongToken(s, tok);
  const letter = tok.charAt(1);
  const shortSpec = resolveShort(letter, [...COMMAND_OPTIONS, ...CORE_OPTIONS]);
  if (tok.length === 2) {
    if (shortSpec) return { kind: 'spec', spec: shortSpec };
    report(s, 'error', 'unknown-option', `unknown option \`${tok}\``);
    return { kind: 'skip' };
  }
  // `-icmp-type` is a classic slip: getopt would read it as `-i cmp-type`.
  const asLong = resolveLong(tok.slice(1), ALL_OPTIONS);
  if (asLong.kind === 'found' && (!asLong.abbreviated || tok.length > 4)) {
    report(
      s,
      'error',
      'single-dash-option',
      `\`${tok}\` is not an option; did you mean \`-${tok}\`? (long options take two dashes)`,
    );
    return resolveLongToken(s, `-${tok}`);
  }
  if (shortSpec && shortSpec.args > 0) {
    report(
      s,
      s.inFile ? 'error' : 'warning',
      'glued-option',
      `write \`-${letter} ${tok.slice(2)}\` with a space instead of \`${tok}\``,
    );
    return { kind: 'spec', spec: shortSpec, inline: tok.slice(2) };
  }
  report(s, 'error', 'unknown-option', `unknown option \`${tok}\``);
  return { kind: 'skip' };
}
