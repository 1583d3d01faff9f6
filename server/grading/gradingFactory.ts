/**
 * The grading engine as startServer's option (main.ts, server tests and benches): startServer
 * calls it with its own sessions, terminals and stores, so each server has an engine of its own
 * and two servers in one process never share one.
 */
import type { LabCatalog } from '../../labkit/catalog';
import type { LabJournal } from '../../labkit/journal';
import type { LabInstance, LabRuntime } from '../runtime/LabRuntime';
import type { LabSessions } from '../sessions/LabSessions';
import type { TerminalHubs } from '../sessions/terminal/TerminalHubs';
import type { AttemptStore } from './AttemptStore';
import { attachGrading } from './attachGrading';
import type { GradingChoices } from './GradingChoices';
import type { GradingEngine } from './GradingEngine';

export interface GradingDeps {
  catalog: LabCatalog;
  sessions: LabSessions;
  hubs: TerminalHubs;
  store: AttemptStore;
  choices: GradingChoices;
  /** The session's journal reader for a check; checks run without one when absent. */
  journal?: (labSessionId: string, instance: LabInstance) => LabJournal | undefined;
}

export type GradingFactory = (deps: GradingDeps) => GradingEngine;

export function gradingFactory(runtime: LabRuntime, log: (message: string) => void): GradingFactory {
  return (deps) => attachGrading({ ...deps, runtime, log });
}
