import '../styles.css';
import { api } from '../api';
import { $ } from '../dom';
import { whoAmI } from '../dashboard/whoAmI';
import { errorMessage } from '../errorMessage';

interface Platform {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  deploymentIds: string[];
}
interface Score {
  learner: string;
  scoreGiven: number;
  scoreMaximum: number;
  status: string;
  tries: number;
  lastError: string | null;
}
interface LtiView {
  tool: Record<string, string>;
  platforms: Platform[];
  scores: Score[];
}

const LABELS: Record<string, string> = {
  login: 'Initiate login URL (OpenID Connect initiation)',
  launch: 'Redirection URI and Tool URL (target link URI)',
  jwks: 'Public keyset URL (JWKS)',
  deepLinking: 'Content selection (deep linking) URL',
};

const status = (message: string): void => {
  $('#status').textContent = message;
};

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text = ''): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  node.textContent = text;
  return node;
};

/** Every value is set as text: names and errors come from the LMS and from learners. */
function render(view: LtiView): void {
  const urls = $('#tool-urls');
  urls.replaceChildren(
    ...Object.entries(LABELS).flatMap(([key, label]) => {
      const value = el('dd');
      value.append(el('code', view.tool[key] ?? ''));
      return [el('dt', label), value];
    }),
  );
  $('#platforms').replaceChildren(
    ...view.platforms.map((p) => {
      const item = el(
        'li',
        `${p.name} · issuer ${p.issuer} · client ${p.clientId} · deployments ${p.deploymentIds.join(', ')} `,
      );
      const remove = el('button', 'Remove');
      remove.type = 'button';
      remove.setAttribute('aria-label', `Remove ${p.name}`);
      remove.addEventListener(
        'click',
        () => void act(api(`/api/instructor/lti/platforms/${p.id}`, { method: 'DELETE' })),
      );
      item.append(remove);
      return item;
    }),
  );
  $('#scores').replaceChildren(
    ...view.scores.map((s) => {
      const row = el('tr');
      row.dataset.status = s.status;
      row.append(
        el('td', s.learner),
        el('td', `${s.scoreGiven} of ${s.scoreMaximum}`),
        el('td', s.status),
        el('td', String(s.tries)),
        el('td', s.lastError ?? ''),
      );
      return row;
    }),
  );
}

async function refresh(): Promise<void> {
  render(await api<LtiView>('/api/instructor/lti'));
}

async function act(action: Promise<unknown>): Promise<void> {
  try {
    await action;
    await refresh();
    status('Saved');
  } catch (error) {
    status(errorMessage(error));
  }
}

async function main(): Promise<void> {
  const me = await whoAmI();
  if (!me.signedIn) {
    location.assign('/instructor');
    return;
  }
  const form = $<HTMLFormElement>('#platform-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const text = (name: string): string => {
      const value = data.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    const body = {
      name: text('name'),
      issuer: text('issuer'),
      clientId: text('clientId'),
      authUrl: text('authUrl'),
      tokenUrl: text('tokenUrl'),
      jwksUrl: text('jwksUrl'),
      deploymentIds: text('deploymentIds')
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean),
    };
    void act(api('/api/instructor/lti/platforms', { method: 'POST', body })).then(() => form.reset());
  });
  await refresh();
  // Scores go out in the background: show how they went as it changes.
  setInterval(() => void refresh().catch(() => undefined), 5000);
}

main().catch((error: unknown) => status(errorMessage(error)));
