/** Connects the journal to the server's lab sessions and terminals: what to follow, and when. */
import type { LabSessions } from '../sessions/LabSessions';
import type { LabSessionEvent } from '../sessions/labSessionTypes';
import type { TerminalHubs } from '../sessions/terminal/TerminalHubs';
import type { Journal } from './Journal';

const NOTES: Partial<Record<LabSessionEvent['type'], string>> = {
  started: 'lab started',
  woken: 'lab woken (machines rebooted)',
  reset: 'lab reset (fresh machines)',
  recovered: 'lab recovered',
  sleeping: 'lab going to sleep',
  ended: 'lab ended',
};

/** Returns the function that disconnects it. */
export function followSessions(journal: Journal, sessions: LabSessions, hubs: TerminalHubs): () => void {
  const commands = new Map<string, (() => void)[]>();
  const stopCommands = (id: string): void => {
    for (const off of commands.get(id) ?? []) off();
    commands.delete(id);
  };
  const off = sessions.on((event) => {
    const { session } = event;
    const note = NOTES[event.type];
    if (note && !(event.type === 'started' && session.status === 'sleeping')) journal.note(session.id, note);
    if (event.type === 'started' || event.type === 'woken' || event.type === 'reset' || event.type === 'recovered') {
      const lab = session.lab;
      if (!lab || session.status === 'sleeping') return;
      void journal.track(session.id, lab);
      stopCommands(session.id);
      commands.set(
        session.id,
        lab.machines.map((m) =>
          hubs.onCommandFinished(session.id, m.id, (c) => journal.commandFinished(session.id, c)),
        ),
      );
    }
    if (event.type === 'sleeping') void journal.untrack(session.id);
    if (event.type === 'ended') {
      stopCommands(session.id);
      void journal.ended(session.id);
    }
  });
  return () => {
    off();
    for (const id of [...commands.keys()]) stopCommands(id);
  };
}
