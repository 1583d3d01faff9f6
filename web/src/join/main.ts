import '../styles.css';
import '../dashboard/dashboard.css';
import { api, type SessionView } from '../api';
import { $ } from '../dom';
import { errorMessage } from '../errorMessage';

interface JoinInfo {
  className: string;
  labId: string;
  labTitle: string;
  joinedAs: string | null;
}

const status = (message: string): void => {
  $('#status').textContent = message;
};

/** Starts (or resumes) the class's lab for the signed-in learner and opens it. */
async function startLab(labId: string): Promise<void> {
  status('Starting your lab…');
  // Repeatable: the server answers a learner's second start of a lab with the lab they have.
  const session = await api<SessionView>(`/api/labs/${encodeURIComponent(labId)}/sessions`, {
    method: 'POST',
    repeatable: true,
  });
  location.assign(session.links.page);
}

/** /join/CODE: name yourself, get a learner identity in the class, and your own lab. */
async function main(): Promise<void> {
  const code = decodeURIComponent(location.pathname.replace(/^\/join\/?/, ''));
  const info = await api<JoinInfo>(`/api/join/${encodeURIComponent(code)}`);
  $('#class-name').textContent = info.className;
  $('#lab-title').textContent = `Lab: ${info.labTitle}`;
  const form = $<HTMLFormElement>('#join-form');
  const name = $<HTMLInputElement>('#display-name');
  if (info.joinedAs) {
    name.value = info.joinedAs;
    name.disabled = true;
    $('#join-submit').textContent = 'Continue the lab';
  }
  form.hidden = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    $<HTMLButtonElement>('#join-submit').disabled = true;
    // Repeatable: the server answers a learner who already joined with the same learner; a join
    // whose answer the network lost is what a learner pressing the button again would repeat.
    api<{ labId: string }>('/api/join', {
      method: 'POST',
      body: { code, displayName: name.value },
      repeatable: true,
    })
      .then(({ labId }) => startLab(labId))
      .catch((error: unknown) => {
        $<HTMLButtonElement>('#join-submit').disabled = false;
        status(errorMessage(error));
      });
  });
}

main().catch((error: unknown) => status(errorMessage(error)));
