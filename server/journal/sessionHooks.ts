/** The journal as a server extension: which labs to follow and when, every verdict, its own close. */
import type { ServerExtension } from '../app/ServerExtension';
import type { LabSessionEvent, SessionEventSnapshot } from '../sessions/labSessionTypes';
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

export function journalExtension(journal: Journal, hubs: TerminalHubs, close: () => Promise<void>): ServerExtension {
  const commands = new Map<string, (() => void)[]>();
  const stopCommands = (id: string): void => {
    for (const off of commands.get(id) ?? []) off();
    commands.delete(id);
  };
  return {
    name: 'journal',
    onSessionEvent(event: SessionEventSnapshot) {
      const { session } = event;
      const note = NOTES[event.type];
      if (note && !(event.type === 'started' && session.status === 'sleeping')) journal.note(session.id, note);
      if (event.type === 'started' || event.type === 'woken' || event.type === 'reset' || event.type === 'recovered') {
        const deployment = session.deployment;
        if (!deployment || session.status === 'sleeping') return;
        void journal.track(session.id, deployment);
        stopCommands(session.id);
        commands.set(
          session.id,
          deployment.machines.flatMap((m) => [
            hubs.onCommandFinished(session.id, m.id, (c) => journal.commandFinished(session.id, c)),
            hubs.onInput(session.id, m.id, (bytes) => journal.consoleInput(session.id, m.id, bytes)),
          ]),
        );
      }
      if (event.type === 'sleeping') void journal.untrack(session.id);
      if (event.type === 'ended') {
        stopCommands(session.id);
        void journal.ended(session.id);
      }
    },
    async close() {
      for (const id of [...commands.keys()]) stopCommands(id);
      await close();
    },
  };
}
