/**
 * npm test's static checks in one process: the type check (scripts/typecheck.ts), then ESLint over
 * the very programs it has just checked (parserOptions.programs), so the type-aware rules read
 * types the checker has already worked out instead of building the four programs again. Same
 * files, rules and program per file as `npm run lint` (a file's nearest tsconfig.json, as the
 * project service picks it); Prettier and shellcheck follow in scripts/lint.sh.
 */
import { ESLint, type Linter } from 'eslint';
import type ts from 'typescript';
import { buildTypePrograms, printTypeErrors, repositoryRoot, typeErrors } from './lib/typePrograms';

const started = Date.now();
const seconds = () => `${String(Math.round((Date.now() - started) / 1000))}s`;
const { programs, configErrors } = buildTypePrograms();
const typeErrorCount = printTypeErrors([...configErrors, ...typeErrors(programs)]);
console.log(`Type check: ${String(typeErrorCount)} error(s), ${seconds()}`);

// The program ESLint's project service would pick: the nearest tsconfig.json that has the file
// (web/vite.config.ts is the root program's); the parser takes the first program that has it.
const [root, ...others] = programs;
if (!root) throw new Error('no root program');
const use = (list: ts.Program[]): Linter.Config['languageOptions'] => ({
  parserOptions: { projectService: false, programs: list },
});
const withPrograms: Linter.Config[] = [
  { files: ['**/*.ts'], languageOptions: use([root.program]) },
  ...others.map(({ dir, program }) => ({ files: [`${dir}/**/*.ts`], languageOptions: use([program, root.program]) })),
];
const eslint = new ESLint({ cwd: repositoryRoot, overrideConfig: withPrograms });
const results = await eslint.lintFiles(['.']);
const report = await (await eslint.loadFormatter('stylish')).format(results);
if (report) console.log(report);
const lintErrorCount = results.reduce((sum, r) => sum + r.errorCount + r.fatalErrorCount, 0);
console.log(`ESLint: ${String(results.length)} files, ${String(lintErrorCount)} error(s), ${seconds()}`);

if (typeErrorCount + lintErrorCount > 0) process.exitCode = 1;
