import type { Problem, ProblemCode, Severity } from './types';

/** Builds a Problem whose message carries the line number, so it can be shown to students as-is. */
export function makeProblem(line: number, severity: Severity, code: ProblemCode, text: string): Problem {
  return { line, severity, code, message: line > 0 ? `line ${line}: ${text}` : text };
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
