/**
 * The repository's four TypeScript programs (tsconfig.json, web/, e2e/, bench/), built in one
 * process so that a file is parsed and bound once for all four: they share one base
 * (tsconfig.base.json), so a parsed file is the same in each, as TypeScript's language service
 * shares it between projects. npm run typecheck judges them; npm test's checks lint them too.
 */
import path from 'node:path';
import ts from 'typescript';

export const repositoryRoot = path.resolve(import.meta.dirname, '../..');
/** Each directory's program; a file belongs to the program of its nearest tsconfig.json. */
export const programDirs = ['.', 'web', 'e2e', 'bench'] as const;

export interface TypeProgram {
  dir: (typeof programDirs)[number];
  program: ts.Program;
  /** The files its tsconfig.json includes (absolute paths). */
  own: Set<string>;
}

export function buildTypePrograms(): { programs: TypeProgram[]; configErrors: ts.Diagnostic[] } {
  const configErrors: ts.Diagnostic[] = [];
  const parsedFiles = new Map<string, ts.SourceFile>();
  const programs = programDirs.map((dir) => {
    const configPath = path.join(repositoryRoot, dir, 'tsconfig.json');
    const config = ts.getParsedCommandLineOfConfigFile(configPath, undefined, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(d),
    });
    if (!config) throw new Error(`${configPath} could not be read`);
    configErrors.push(...config.errors);
    const host = ts.createCompilerHost(config.options, true);
    const parse = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
      const { languageVersion, impliedNodeFormat } =
        typeof languageVersionOrOptions === 'object'
          ? languageVersionOrOptions
          : { languageVersion: languageVersionOrOptions, impliedNodeFormat: undefined };
      const key = `${path.resolve(fileName)}\0${String(languageVersion)}\0${String(impliedNodeFormat)}`;
      const known = parsedFiles.get(key);
      if (known) return known;
      const file = parse(fileName, languageVersionOrOptions, onError, shouldCreate);
      if (file) parsedFiles.set(key, file);
      return file;
    };
    const program = ts.createProgram({
      rootNames: config.fileNames,
      options: config.options,
      host,
      configFileParsingDiagnostics: config.errors,
    });
    return { dir, program, own: new Set(config.fileNames.map((f) => path.resolve(f))) };
  });
  return { programs, configErrors };
}

/**
 * What tsc -p would report for each program, except that a file some tsconfig includes is judged
 * only by that tsconfig's program: the server code e2e/ and bench/ import is checked once, by the
 * root program, not again in theirs (as project references would have it, without emitting
 * declarations). A file that no tsconfig includes is judged by every program that reaches it.
 */
export function typeErrors(programs: TypeProgram[]): ts.Diagnostic[] {
  const owned = new Set(programs.flatMap((p) => [...p.own]));
  const diagnostics: ts.Diagnostic[] = [];
  for (const { program, own } of programs) {
    diagnostics.push(...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics());
    for (const file of program.getSourceFiles()) {
      const name = path.resolve(file.fileName);
      if (!own.has(name) && owned.has(name)) continue;
      diagnostics.push(...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file));
    }
  }
  return [...ts.sortAndDeduplicateDiagnostics(diagnostics)];
}

/** Prints diagnostics as tsc does; returns how many there were. */
export function printTypeErrors(diagnostics: readonly ts.Diagnostic[]): number {
  if (diagnostics.length === 0) return 0;
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => repositoryRoot,
    getNewLine: () => '\n',
  };
  const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
  process.stdout.write(format(diagnostics, host));
  process.stdout.write(`\nFound ${String(diagnostics.length)} type error(s).\n`);
  return diagnostics.length;
}
