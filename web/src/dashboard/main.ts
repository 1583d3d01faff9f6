import '@xterm/xterm/css/xterm.css';
import '../styles.css';
import './dashboard.css';
import { confirmDialog } from '../confirmDialog';
import { ClassSocket } from './ClassSocket';
import { mountMessageForm } from './messageForm';
import { TokenView } from './TokenView';
import { $, el } from '../dom';
import { api } from '../api';
import { whoAmI } from './whoAmI';
import { LearnerPanel } from './LearnerPanel';
import { renderMatrix, renderRoster } from './rosterView';
import { renderStepStats } from './stepStatsView';
import type { ClassSnapshot, ClassSummary } from './types';
import { errorMessage } from '../errorMessage';

const status = (message: string): void => {
  $('#status').textContent = message;
};

let socket: ClassSocket | undefined;
let current: ClassSnapshot | undefined;
/** The server keeps only a hash of a class's API token: it is shown here once, when made. */
let shownToken: { classId: string; token: string } | undefined;
const token = new TokenView($('#api-token'), $<HTMLButtonElement>('#show-token'));
const panel = new LearnerPanel(status);
const messages = mountMessageForm(() => current, status);

async function loadClasses(select?: string): Promise<void> {
  const { classes } = await api<{ classes: ClassSummary[] }>('/api/instructor/classes');
  $('#class-list').replaceChildren(
    ...classes.map((c) => {
      const button = el('button', { className: 'link', textContent: c.name, data: { classId: c.id } });
      button.addEventListener('click', () => openClass(c.id));
      return el(
        'li',
        { className: c.endedAt ? 'ended' : '' },
        button,
        ' ',
        el('small', { textContent: c.endedAt ? 'ended' : c.joinCode }),
      );
    }),
  );
  const wanted = select ?? new URLSearchParams(location.search).get('class') ?? undefined;
  if (wanted && classes.some((c) => c.id === wanted)) openClass(wanted);
}

function openClass(classId: string): void {
  socket?.close();
  panel.close();
  current = undefined;
  history.replaceState(null, '', `/dashboard?class=${classId}`);
  $('#class').hidden = false;
  socket = new ClassSocket(
    classId,
    show,
    (connected) => ($('#live').textContent = connected ? 'Live' : 'Reconnecting…'),
  );
}

function show(snap: ClassSnapshot, changed: ReadonlySet<string> | null): void {
  current = snap;
  const c = snap.class;
  $('#class').dataset.classId = c.id;
  $('#class-title').textContent = c.endedAt ? `${c.name} (ended)` : c.name;
  $('#class-lab-title').textContent = labTitles.get(c.labId) ?? c.labId;
  $('#join-code').textContent = c.joinCode;
  $('#join-url').textContent = `${location.origin}/join/${c.joinCode}`;
  $('#grades-url').textContent = `${location.origin}/api/classes/${c.id}/grades`;
  token.set(shownToken?.classId === c.id ? shownToken.token : undefined);
  $<HTMLAnchorElement>('#export-csv').href = `/api/instructor/classes/${c.id}/grades.csv`;
  $<HTMLButtonElement>('#end-class').disabled = c.endedAt !== null;
  renderRoster($('#roster tbody'), snap, (learner) => panel.open(c.id, learner));
  renderMatrix($<HTMLTableElement>('#matrix'), snap);
  renderStepStats($('#matrix-scroll'), snap);
  messages.update(snap);
  // The open learner's history is fetched again only when their line changed.
  if (!changed || (panel.openLearnerId !== undefined && changed.has(panel.openLearnerId)))
    panel.update(snap.learners.find((l) => l.id === panel.openLearnerId));
}

async function newToken(): Promise<void> {
  if (!current) return;
  const ok = await confirmDialog($<HTMLDialogElement>('#confirm'), {
    title: 'Make a new API token?',
    text: 'The old one stops working at once; scripts using it need the new one.',
    ok: 'Make a new token',
  });
  if (!ok) return;
  const id = current.class.id;
  api<{ apiToken: string }>(`/api/instructor/classes/${id}/api-token`, { method: 'POST' })
    .then(({ apiToken }) => {
      shownToken = { classId: id, token: apiToken };
      token.set(apiToken);
      status('New API token made (press Show token to copy it); it is not shown again after you leave.');
    })
    .catch((error: unknown) => status(errorMessage(error)));
}

async function endClass(): Promise<void> {
  if (!current) return;
  const ok = await confirmDialog($<HTMLDialogElement>('#confirm'), {
    title: 'End the class?',
    text: "Every learner's lab is destroyed, their pages say so, and the join code stops working.",
    ok: 'End class',
  });
  if (!ok) return;
  const id = current.class.id;
  const button = $<HTMLButtonElement>('#end-class');
  button.disabled = true;
  api<{ endedLabs: number }>(`/api/instructor/classes/${id}/end`, { method: 'POST' })
    .then(({ endedLabs }) => {
      status(`Class ended; ${endedLabs} lab(s) stopped.`);
      return loadClasses(id);
    })
    .catch((error: unknown) => {
      button.disabled = false;
      status(errorMessage(error));
    });
}

const labTitles = new Map<string, string>();

/** A class is for one lab: the instructor picks it when creating the class. */
async function loadLabs(): Promise<void> {
  const { labs } = await api<{ labs: { id: string; title: string }[] }>('/api/instructor/labs');
  $('#class-lab').replaceChildren(...labs.map((lab) => new Option(lab.title, lab.id)));
  for (const lab of labs) labTitles.set(lab.id, lab.title);
}

async function main(): Promise<void> {
  const me = await whoAmI();
  if (!me.signedIn) {
    location.replace('/instructor');
    return;
  }
  await loadLabs();
  $('#new-class').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>('#class-name');
    // Labs are warmed for this many learners while the dashboard is open; empty: as many as last class.
    const size = $<HTMLInputElement>('#class-size');
    api<ClassSnapshot & { apiToken: string }>('/api/instructor/classes', {
      method: 'POST',
      body: {
        name: input.value,
        labId: $<HTMLSelectElement>('#class-lab').value,
        ...(size.value === '' ? {} : { expectedSize: size.valueAsNumber }),
      },
    })
      .then((snap) => {
        input.value = '';
        size.value = '';
        shownToken = { classId: snap.class.id, token: snap.apiToken };
        return loadClasses(snap.class.id);
      })
      .catch((error: unknown) => status(errorMessage(error)));
  });
  // Off until now: a press before the labs and this handler were there was lost (the form, still
  // without a lab to choose, did not submit).
  $<HTMLButtonElement>('#create-class').disabled = false;
  $('#end-class').addEventListener('click', () => void endClass());
  $('#new-token').addEventListener('click', () => void newToken());
  $('#logout').addEventListener('click', () => {
    void api('/api/instructor/logout', { method: 'POST' }).finally(() => location.assign('/instructor'));
  });
  await loadClasses();
}

main().catch((error: unknown) => status(`The dashboard could not load: ${errorMessage(error)}`));
