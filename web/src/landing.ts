import './styles.css';
import { api, ApiError, type LabSummary, type SessionView } from './api';
import { el } from './dom';
import { errorMessage } from './errorMessage';
import { inlineMarkdownHtml } from './markdown';

const app = document.querySelector<HTMLElement>('#app');

async function signedIn(): Promise<boolean> {
  return (await api<{ learnerId: string | null }>('/api/me')).learnerId !== null;
}

async function render(): Promise<void> {
  if (!app) return;
  const status = el('p', { className: 'status', attrs: { role: 'status' } });
  if (!(await signedIn())) {
    const guest = el('button', { className: 'primary', textContent: 'Start as guest' });
    guest.addEventListener('click', () => {
      guest.disabled = true;
      // Repeatable: a sign-in whose answer was lost leaves at most an unused guest behind.
      api('/api/guest', { method: 'POST', repeatable: true })
        .then(render)
        .catch((error: unknown) => {
          guest.disabled = false;
          status.textContent = errorMessage(error);
        });
    });
    app.replaceChildren(
      el('h1', { textContent: 'iptables-lab' }),
      el('p', { textContent: 'Hands-on labs for Linux firewalls, on real machines in your browser.' }),
      guest,
      status,
    );
    return;
  }
  const [{ labs }, { sessions }] = await Promise.all([
    api<{ labs: LabSummary[] }>('/api/labs'),
    api<{ sessions: SessionView[] }>('/api/sessions'),
  ]);
  const list = el('ul', { className: 'labs' });
  for (const lab of labs) {
    const running = sessions.find((s) => s.labId === lab.id);
    const start = el('button', { className: 'primary', textContent: running ? 'Resume lab' : 'Start lab' });
    start.dataset.labId = lab.id;
    start.addEventListener('click', () => {
      start.disabled = true;
      start.textContent = 'Starting…';
      // Repeatable: the server answers a learner's second start of a lab with the lab they have.
      api<SessionView>(`/api/labs/${lab.id}/sessions`, { method: 'POST', repeatable: true })
        .then((session) => location.assign(session.links.page))
        .catch((error: unknown) => {
          start.disabled = false;
          start.textContent = 'Start lab';
          status.textContent = errorMessage(error);
        });
    });
    // A lab's summary is Markdown, like the rest of its text (`code` in it shows as code).
    const summary = el('p');
    summary.innerHTML = inlineMarkdownHtml(lab.summary);
    const item = el('li', {}, el('h2', { textContent: lab.title }), summary, start);
    item.dataset.labId = lab.id;
    list.append(item);
  }
  app.replaceChildren(
    el('h1', { textContent: 'iptables-lab' }),
    el('p', { textContent: 'Choose a lab. Each gets its own machines.' }),
    list,
    status,
  );
}

render().catch((error: unknown) => {
  if (!app) return;
  // A server that answered refused for a reason of its own (a learner removed from a class): say
  // that reason, not that the network failed.
  const answered = error instanceof ApiError;
  app.replaceChildren(
    el('h1', { textContent: 'iptables-lab' }),
    el('p', {
      attrs: { role: 'alert' },
      textContent: answered ? errorMessage(error) : `The server could not be reached: ${errorMessage(error)}`,
    }),
  );
});

// Warm the browser cache with the terminal code while the learner reads the landing page,
// so "Start lab" only has to navigate, not download and compile xterm.js.
const prefetchTerminal = (): void => void import('@xterm/xterm').catch(() => undefined);
if ('requestIdleCallback' in window) window.requestIdleCallback(prefetchTerminal);
else setTimeout(prefetchTerminal, 200);
