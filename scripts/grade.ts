/**
 * npm run grade -- --class CODE [--csv] [--url http://127.0.0.1:8080]
 *
 * Runs every step's checker on every live lab of the class, now, and prints a table (or CSV).
 * The checks run inside the server, which holds the learners' terminal transcripts; this script
 * finds the class in the database (DATA_DIR / DB_PATH) and asks the server, with a credential
 * derived from the cookie secret in DATA_DIR (the database keeps only hashes of API tokens).
 */
import { parseArgs } from 'node:util';
import { toCsv } from '../server/classroom/csv';
import type { GradeRunRow } from '../server/classroom/gradeRun';
import type { StepRef } from '../server/classroom/grades';
import { joinCodeSchema } from '../server/classroom/joinCode';
import { ConfigError, loadConfig } from '../server/config';
import { loadCookieSecret } from '../server/auth/cookieSecret';
import { operatorToken } from '../server/classroom/operatorToken';
import { Store } from '../server/store/Store';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { class: { type: 'string' }, csv: { type: 'boolean', default: false }, url: { type: 'string' } },
  });
  const code = joinCodeSchema.safeParse(values.class ?? '');
  if (!code.success) fail('Usage: npm run grade -- --class <JOIN CODE> [--csv] [--url http://127.0.0.1:8080]');
  const config = loadConfig();
  const store = Store.open(config.dbPath);
  const cls = store.classes.byJoinCode(code.data);
  store.close();
  if (!cls) fail(`No class with join code ${code.data} in ${config.dbPath}`);

  const base = values.url ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const res = await fetch(`${base}/api/classes/${cls.id}/grade-run`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${operatorToken(loadCookieSecret(config.cookieSecret, config.dataDir), cls.id)}`,
    },
  }).catch(() => fail(`The server does not answer at ${base}; start it with "npm start" (or pass --url).`));
  const body = (await res.json().catch(() => ({}))) as {
    steps?: StepRef[];
    rows?: GradeRunRow[];
    error?: { message?: string };
  };
  const { steps, rows } = body;
  if (!res.ok || !steps || !rows) fail(`The server refused: ${body.error?.message ?? `HTTP ${res.status}`}`);

  const table = [
    ['Learner', ...steps.map((s) => s.id), 'Passed'],
    ...rows.map((r) => [
      r.displayName,
      ...steps.map((s) =>
        r.labSessionId === null ? '' : r.results[s.id]?.passed ? 'pass' : r.results[s.id] ? 'fail' : '?',
      ),
      r.labSessionId === null ? 'no lab' : r.error ? `error: ${r.error}` : `${r.passed}/${steps.length}`,
    ]),
  ];
  if (values.csv) {
    process.stdout.write(toCsv(table));
  } else {
    console.log(`${cls.name} (${cls.joinCode}), graded ${new Date().toISOString()}`);
    printTable(table);
  }
}

function printTable(rows: string[][]): void {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const [n, row] of rows.entries()) {
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    );
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

main().catch((error: unknown) =>
  fail(
    error instanceof ConfigError
      ? error.message
      : `grade failed: ${error instanceof Error ? error.message : String(error)}`,
  ),
);
