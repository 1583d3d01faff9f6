/**
 * The processes on the host started with a test namespace as their LAB_INSTANCE: servers a test
 * started (the e2e web server, a server process of a server test) and their helpers. One whose
 * test process is dead was orphaned by a killed run (a SIGKILLed Playwright runner leaves its
 * web server running): nobody else would ever stop it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { ownerOf } from '../../test/support/testNamespace';

export interface TestProcess {
  pid: number;
  parent: number;
  namespace: string;
  /** When it started, ms since the epoch. */
  startedAt: number;
}

/** Every process (but this one) whose LAB_INSTANCE is a test namespace; root reads every environment. */
export function testProcesses(): TestProcess[] {
  const found: TestProcess[] = [];
  for (const pid of readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)) {
    if (pid === process.pid) continue;
    try {
      const entry = readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .find((e) => e.startsWith('LAB_INSTANCE='));
      const namespace = entry?.slice('LAB_INSTANCE='.length);
      const stat = processStat(pid);
      if (namespace === undefined || ownerOf(namespace) === undefined || !stat) continue;
      found.push({ pid, namespace, ...stat });
    } catch {
      // Gone meanwhile, or a kernel thread.
    }
  }
  return found;
}

/**
 * A process's parent and start time (ms since the epoch), or undefined when there is no such
 * process (one that has exited and waits to be collected by its parent, a zombie, included).
 */
export function processStat(pid: number): { parent: number; startedAt: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command's closing parenthesis: state (3), ppid (4) … starttime (22, clock ticks after boot).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z') return undefined;
  const bootSeconds = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
  return { parent: Number(fields[1]), startedAt: bootSeconds * 1000 + (Number(fields[19]) * 1000) / CLOCK_TICKS };
}
/** USER_HZ: 100 on every Linux architecture Docker runs on. */
const CLOCK_TICKS = 100;

/**
 * Stops a dead run's processes the way their run would have: SIGTERM to the topmost ones (a
 * server then ends its labs, and its helpers die with it), SIGKILL to whatever still runs after
 * `graceMs` (a server gives up on its own shutdown after 120 s). Resolves once none is left.
 */
export async function stopOrphans(processes: readonly TestProcess[], graceMs: number): Promise<void> {
  const pids = new Set(processes.map((p) => p.pid));
  const alive = (): TestProcess[] => processes.filter((p) => processStat(p.pid)?.startedAt === p.startedAt);
  for (const p of processes) if (!pids.has(p.parent)) signal(p.pid, 'SIGTERM');
  for (const end = Date.now() + graceMs; alive().length > 0 && Date.now() < end;) await delay(250);
  for (const p of alive()) signal(p.pid, 'SIGKILL');
  while (alive().length > 0) await delay(100);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Ended meanwhile.
  }
}
