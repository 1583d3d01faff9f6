/**
 * Grade a live lab session from inside the server process (e.g. `npm run grade` via the server,
 * or an instructor route): the engine started with the server is registered here.
 */
import type { CheckOutcome, GradingEngine } from './GradingEngine';

let registered: GradingEngine | undefined;

export function registerGradingEngine(engine: GradingEngine): void {
  registered = engine;
}

export function gradingEngine(): GradingEngine | undefined {
  return registered;
}

/** Runs every step's checker for the session, in order, recording each attempt. */
export function runAllChecks(labSessionId: string): Promise<CheckOutcome[]> {
  if (!registered) return Promise.reject(new Error('No grading engine is running in this process'));
  return registered.runAllChecks(labSessionId);
}
