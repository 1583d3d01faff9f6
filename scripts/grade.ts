/**
 * npm run grade -- --class CODE [--csv] [--details] [--url http://127.0.0.1:8080]
 *
 * Runs every step's checker on every live lab of the class, now, and prints a table (or CSV).
 * The checks run inside the server, which holds the learners' terminal transcripts. This script
 * reads the server's own settings with its config loader (DATA_DIR or DB_PATH for the database,
 * HOST, PORT and TLS_* for its address, COOKIE_SECRET for the credential), finds the class in the
 * database and asks the server, with a credential derived from the cookie secret (the database
 * keeps only hashes of API tokens). --url overrides the address.
 */
import { parseArgs } from 'node:util';
import { toCsv } from '../server/classroom/csv';
import type { GradeRunRow } from '../server/classroom/gradeRun';
import type { StepRef } from '../server/classroom/grades';
import { joinCodeSchema } from '../server/classroom/joinCode';
import { ConfigError, loadConfig, type Config } from '../server/config';
import { loadCookieSecret } from '../server/auth/cookieSecret';
import { operatorToken } from '../server/classroom/operatorToken';
import { Store } from '../server/store/Store';
import { errorMessage } from '../server/log/errorMessage';

const USAGE = 'Usage: npm run grade -- --class <JOIN CODE> [--csv] [--details] [--url http://127.0.0.1:8080]';
const LEGEND =
  'pass: passes now · fail: fails now, and the learner has tried it before · never tried: fails now, and the learner never pressed Check on it';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** Where this machine reaches the server its settings describe (a wildcard address means this host). */
function serverUrl(config: Config): string {
  const { http } = config;
  const host = http.host === '0.0.0.0' ? '127.0.0.1' : http.host === '::' ? '::1' : http.host;
  return `${http.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${http.port}`;
}

type Cell = 'pass' | 'fail' | 'never tried' | '';

function cellOf(row: GradeRunRow, stepId: string, tried: ReadonlySet<string>): Cell {
  const result = row.results[stepId];
  if (result?.passed) return 'pass';
  if (!tried.has(stepId)) return 'never tried';
  return result ? 'fail' : '';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      class: { type: 'string' },
      csv: { type: 'boolean', default: false },
      details: { type: 'boolean', default: false },
      url: { type: 'string' },
    },
  });
  const code = joinCodeSchema.safeParse(values.class ?? '');
  if (!code.success) fail(USAGE);
  const config = loadConfig();
  const store = Store.open(config.data.dbPath);
  const cls = store.classes.byJoinCode(code.data);
  // The learners' progress says what they tried (a grading run's own checks never count as trying).
  const tried = new Map(
    cls ? store.progress.listByClass(cls.id, cls.labId).map((p) => [p.learnerId, new Set(Object.keys(p.steps))]) : [],
  );
  store.close();
  if (!cls)
    fail(
      `No class with join code ${code.data} in ${config.data.dbPath} (set DATA_DIR or DB_PATH as the server has them).`,
    );

  const base = values.url ?? serverUrl(config);
  const res = await fetch(`${base}/api/classes/${cls.id}/grade-run`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${operatorToken(loadCookieSecret(config.auth.cookieSecret, config.data.dir), cls.id)}`,
    },
  }).catch(() =>
    fail(
      `The server does not answer at ${base}; start it with "npm start", set HOST/PORT as it has them, or pass --url.`,
    ),
  );
  const body = (await res.json().catch(() => ({}))) as {
    steps?: StepRef[];
    rows?: GradeRunRow[];
    error?: { message?: string };
  };
  const { steps, rows } = body;
  if (!res.ok || !steps || !rows) fail(`The server refused: ${body.error?.message ?? `HTTP ${res.status}`}`);

  const none = new Set<string>();
  const table = [
    ['Learner', ...steps.map((s) => s.id), 'Passed'],
    ...rows.map((r) => [
      r.displayName,
      ...steps.map((s) => cellOf(r, s.id, tried.get(r.learnerId) ?? none)),
      r.sessionId === null ? 'no lab' : r.error ? `error: ${r.error}` : `${r.passed}/${steps.length}`,
    ]),
  ];
  if (values.csv) {
    process.stdout.write(toCsv(table));
  } else {
    console.log(`${cls.name} (${cls.joinCode}), graded ${new Date().toISOString()}`);
    printTable(table);
    console.log(`\n${LEGEND}`);
  }
  if (values.details) {
    const lines = rows.flatMap((r) =>
      steps
        .filter((s) => cellOf(r, s.id, tried.get(r.learnerId) ?? none) === 'fail')
        .map((s) => `${r.displayName} · ${s.id}: ${r.results[s.id]?.message ?? ''}`),
    );
    const out = values.csv ? process.stderr : process.stdout;
    out.write(`\nFailing checks:\n${lines.length > 0 ? lines.join('\n') : '(none)'}\n`);
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
  fail(error instanceof ConfigError ? error.message : `grade failed: ${errorMessage(error)}`),
);
