/**
 * The grading engine as startServer's option (main.ts, server tests and benches): startServer
 * calls it with its own sessions, terminals and stores, so each server has an engine of its own
 * and two servers in one process never share one.
 */
import type { LabCatalog } from '../../labkit/catalog';
import type { LabJournal } from '../../labkit/journal';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import type { LabSessions } from '../sessions/LabSessions';
import type { TerminalHubs } from '../sessions/terminal/TerminalHubs';
import type { GradingEngineOptions } from './GradingEngine';
import type { ProgressStore } from './ProgressStore';
import { attachGrading, type Grading } from './attachGrading';
import type { GradingChoices } from './GradingChoices';
import type { ParametersOf } from './labParameters';
import type { Log } from '../log/Log';
import type { GradingConfig } from '../config/sections';

export interface GradingDeps {
  catalog: LabCatalog;
  sessions: LabSessions;
  hubs: TerminalHubs;
  store: ProgressStore;
  choices: GradingChoices;
  /** The session's journal reader for a check; checks run without one when absent. */
  journal?: (sessionId: string, deployment: LabDeployment) => LabJournal | undefined;
  /** Every check run, shown or not: the journal keeps its span. */
  onCheckRan?: GradingEngineOptions['onCheckRan'];
  parameters: ParametersOf;
}

/** The engine and its session-event hook (startServer puts the hook in its list). */
export type GradingFactory = (deps: GradingDeps) => Grading;

export function gradingFactory(runtime: LabRuntime, log: Log, config?: GradingConfig): GradingFactory {
  return (deps) => attachGrading({ ...deps, runtime, log, concurrency: config?.checkConcurrency });
}
