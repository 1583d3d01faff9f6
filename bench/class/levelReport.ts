/** bench:class's figures for one level of active labs, and how they are printed. */
import type { HostNow, LoopSummary } from './hostFigures';
import type { PhaseSummary } from './phaseStats';

export interface Level {
  labs: number;
  echoP50: number;
  echoP99: number;
  /** Probe keys without an echo within the bench's timeout (counted as that long). */
  echoLost: number;
  verdictP95: number;
  verdictP50: number;
  /** Of it, until the server had the verdict (the rest is its trip to the page). */
  checkedP95: number;
  verdicts: number;
  verdictTimeouts: number;
  /** Learners whose terminal did not open (left out of the level's work). */
  terminalsFailed: number;
  /** The server's event loop over the level's window. */
  loop: LoopSummary;
  /** The bench process's own loop delay p99 while it timed the echoes. */
  benchLoopP99: number;
  /** Echoes over the goal's 50 ms, and how many of them a held server loop explains. */
  slowEchoes: { slow: number; inServerLoop: number };
  /** Load and memory when the level was measured. */
  host: HostNow;
  mbPerLab: number;
  cpuSecondsPerLabMinute: number;
  /** Of it, the server's own and its host-side helpers' (nsenter reads, nft monitors). */
  serverCpuSecondsPerLabMinute: number;
  engineCpuSecondsPerLabMinute: number;
  /** Every auto-check of the level, as the server timed it. */
  server: PhaseSummary;
  /** Starts the server could not complete and the bench tried again. */
  startsRetried: number;
}

const ms = (n: number): string => `${n.toFixed(n < 10 ? 1 : 0)} ms`;

export function levelLine(l: Level): string {
  return [
    `${l.labs} labs: echo p50 ${ms(l.echoP50)} p99 ${ms(l.echoP99)}${l.echoLost ? ` (${l.echoLost} keys lost)` : ''}`,
    `verdict p50 ${ms(l.verdictP50)} p95 ${ms(l.verdictP95)} (server done p95 ${ms(l.checkedP95)}; ${l.verdicts}, ${l.verdictTimeouts} timed out)`,
    `server loop delay p50 ${ms(l.loop.p50)} p99 ${ms(l.loop.p99)} max ${ms(l.loop.max)}, busy ${(l.loop.busy * 100).toFixed(0)}%`,
    `${l.slowEchoes.slow} echoes over 50 ms (${l.slowEchoes.inServerLoop} in a held server loop), bench loop p99 ${ms(l.benchLoopP99)}`,
    `server timers ${(l.loop.timers / l.labs).toFixed(1)}/lab, handles ${(l.loop.handles / l.labs).toFixed(1)}/lab`,
    `${l.mbPerLab.toFixed(0)} MB/lab, host ${l.host.usedGiB.toFixed(1)}/${l.host.totalGiB.toFixed(0)} GiB used`,
    `${l.cpuSecondsPerLabMinute.toFixed(2)} CPU s/lab-min (server ${l.serverCpuSecondsPerLabMinute.toFixed(2)}; + engine ${l.engineCpuSecondsPerLabMinute.toFixed(2)})`,
    `load ${l.host.load1.toFixed(1)} / ${l.host.load5.toFixed(1)}${l.terminalsFailed ? `; ${l.terminalsFailed} terminals did not open` : ''}`,
  ].join(', ');
}

export function levelTable(levels: readonly Level[]): string[] {
  return [
    '| active labs | echo p50 / p99 | verdict p95 (p50; server) | server auto-checks p50 / p95 (p95 queue, checker) | server loop delay p50 / p99 / max, busy; echoes > 50 ms (in a held server loop) | server CPU s/lab-min | MB/lab, host used | load 1 / 5 min |',
    '|---|---|---|---|---|---|---|---|',
    ...levels.map(
      (l) =>
        `| ${l.labs} | ${ms(l.echoP50)} / ${ms(l.echoP99)}${l.echoLost ? ` (${l.echoLost} lost)` : ''} | ${ms(l.verdictP95)} (${ms(l.verdictP50)}; ${ms(l.checkedP95)}; ${l.verdicts}${l.verdictTimeouts ? `, ${l.verdictTimeouts} timed out` : ''}) | ${ms(l.server.totalP50)} / ${ms(l.server.totalP95)} (${ms(l.server.p95.queue)}, ${ms(l.server.p95.checker)}; ${l.server.checks}) | ${ms(l.loop.p50)} / ${ms(l.loop.p99)} / ${ms(l.loop.max)}, ${(l.loop.busy * 100).toFixed(0)}%; ${l.slowEchoes.slow} (${l.slowEchoes.inServerLoop}) | ${l.serverCpuSecondsPerLabMinute.toFixed(2)} | ${l.mbPerLab.toFixed(0)} MB, ${l.host.usedGiB.toFixed(1)} GiB | ${l.host.load1.toFixed(1)} / ${l.host.load5.toFixed(1)} |`,
    ),
  ];
}
