/** npm run typecheck: the four programs, each file judged once (scripts/lib/typePrograms.ts). */
import { buildTypePrograms, printTypeErrors, typeErrors } from './lib/typePrograms';

const { programs, configErrors } = buildTypePrograms();
if (printTypeErrors([...configErrors, ...typeErrors(programs)]) > 0) process.exitCode = 1;
