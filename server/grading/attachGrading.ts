/** Wires the grading engine into the running server: lab setup, auto-check hooks, cleanup. */
import { errorMessage } from '../log/errorMessage';
import type { LearnerTerminals } from '../../labkit/types';
import type { LabCatalog } from '../../labkit/catalog';
import type { LabJournal } from '../../labkit/journal';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import type { LabSessions } from '../sessions/LabSessions';
import type { SessionEventSnapshot } from '../sessions/labSessionTypes';
import type { TerminalHubs } from '../sessions/terminal/TerminalHubs';
import { InMemoryProgressStore, type ProgressStore } from './ProgressStore';
import { checkContext } from './contexts';
import type { GradingChoices } from './GradingChoices';
import { GradingEngine, type GradingEngineOptions } from './GradingEngine';
import type { ParametersOf } from './labParameters';
import type { Log } from '../log/Log';

export interface AttachGradingOptions {
  runtime: LabRuntime;
  catalog: LabCatalog;
  sessions: LabSessions;
  hubs: TerminalHubs;
  /** Defaults to memory; the server passes its SQLite progress log to keep progress across restarts. */
  store?: ProgressStore;
  /** Defaults to memory; pass the SQLite `store.gradingChoices` to keep answers, hints and auto-check across restarts. */
  choices?: GradingChoices;
  log: Log;
  /** Each learner's values of a lab's parameters. */
  parameters: ParametersOf;
  journal?: (sessionId: string, deployment: LabDeployment) => LabJournal | undefined;
  /** Checks running at once on this host (0 or unset: no limit). */
  concurrency?: number;
  /** Every check run, shown or not (the journal keeps their spans). */
  onCheckRan?: GradingEngineOptions['onCheckRan'];
}

/** The engine, and the hook that sets labs up and re-checks them as their machines change. */
export interface Grading {
  engine: GradingEngine;
  onSessionEvent(event: SessionEventSnapshot): void;
}

export function hubTerminals(hubs: TerminalHubs, sessionId: string): LearnerTerminals {
  return {
    transcript: (machineId) => hubs.getTranscript(sessionId, machineId),
    async type(machineId, text) {
      const hub = await hubs.open(sessionId, machineId, { cols: 120, rows: 40 });
      hub.write(Buffer.from(text));
    },
  };
}

export function attachGrading({
  runtime,
  catalog,
  sessions,
  hubs,
  store,
  choices,
  log,
  journal,
  parameters,
  concurrency,
  onCheckRan,
}: AttachGradingOptions): Grading {
  store ??= new InMemoryProgressStore((id) => {
    const session = sessions.get(id);
    return { learnerId: session?.learnerId ?? id, labId: session?.labId ?? '' };
  });
  const engine = new GradingEngine({
    runtime,
    store,
    choices,
    log,
    parameters,
    concurrency,
    onCheckRan,
    learnerOf: (sessionId) => sessions.get(sessionId)?.learnerId,
    resolve(sessionId) {
      const session = sessions.get(sessionId);
      const lab = session && catalog.get(session.labId);
      if (!session?.deployment || !lab || session.status !== 'ready') return undefined;
      return {
        lab,
        deployment: session.deployment,
        terminals: hubTerminals(hubs, sessionId),
        parameters: parameters(session.learnerId, lab),
        journal: journal?.(sessionId, session.deployment),
      };
    },
  });
  const unsubscribe = new Map<string, (() => void)[]>();
  const onSessionEvent = (event: SessionEventSnapshot): void => {
    const { session } = event;
    const lab = catalog.get(session.labId);
    if (!lab) return;
    // A lab adopted asleep after a restart has nothing running to set up or check.
    // Fresh machines need the lab's setup: a start, a reset, or a wake whose old machines were gone.
    const freshMachines = event.type === 'woken' && session.lastWake?.freshMachines === true;
    if ((event.type === 'started' && session.status !== 'sleeping') || event.type === 'reset' || freshMachines) {
      const deployment = session.deployment;
      const setUp =
        deployment && lab.setup
          ? lab
              .setup(
                checkContext(runtime, deployment, {
                  terminals: hubTerminals(hubs, session.id),
                  parameters: parameters(session.learnerId, lab),
                }),
              )
              .catch((error: unknown) => log(`lab setup failed: ${errorMessage(error)}`))
          : Promise.resolve();
      // Progress (latched passes) survives a reset and a new session of the same lab; 'current'
      // steps are judged on the new machines.
      const inherited = event.type === 'started' && engine.attempts(session.id).some((a) => a.sessionId !== session.id);
      if (event.type === 'reset' || freshMachines || inherited) {
        void setUp
          .then(() => engine.recheckCurrentState(session.id))
          .catch((error: unknown) => log(`re-check after reset failed: ${errorMessage(error)}`));
      }
    }
    // A wake is a reboot: rules that were never saved are gone, so 'current' steps are judged again.
    if (event.type === 'woken' && !freshMachines) {
      void engine
        .recheckCurrentState(session.id)
        .catch((error: unknown) => log(`re-check after wake failed: ${errorMessage(error)}`));
    }
    if (event.type === 'started') {
      unsubscribe.set(
        session.id,
        lab.topology.machines.map((m) =>
          hubs.onCommandFinished(session.id, m.id, (c) => engine.commandFinished(session.id, c.finishedAt)),
        ),
      );
    }
    if (event.type === 'ended') {
      for (const off of unsubscribe.get(session.id) ?? []) off();
      unsubscribe.delete(session.id);
      engine.forget(session.id);
    }
  };
  return { engine, onSessionEvent };
}
