import { $, el } from '../dom';
import { api } from '../api';
import type { ClassSnapshot } from './types';
import { errorMessage } from '../errorMessage';

/** A short message to the whole class or one learner; it shows as a banner on their lab page. */
export function mountMessageForm(
  current: () => ClassSnapshot | undefined,
  status: (message: string) => void,
): {
  update(snap: ClassSnapshot): void;
} {
  const form = $<HTMLFormElement>('#message-form');
  const text = $<HTMLInputElement>('#message-text');
  const to = $<HTMLSelectElement>('#message-to');
  let drawn = '';
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const snap = current();
    if (!snap) return;
    const body = { text: text.value, ...(to.value ? { learnerId: to.value } : {}) };
    api<{ delivered: number }>(`/api/instructor/classes/${snap.class.id}/messages`, { method: 'POST', body })
      .then(({ delivered }) => {
        text.value = '';
        status(`Message sent to ${delivered} running lab(s).`);
      })
      .catch((error: unknown) => status(errorMessage(error)));
  });
  return {
    update(snap) {
      const key = snap.learners.map((l) => `${l.id}:${l.displayName}`).join('|');
      if (key === drawn) return;
      drawn = key;
      const chosen = to.value;
      const everyone = el('option', { textContent: 'the whole class' });
      everyone.value = '';
      to.replaceChildren(
        everyone,
        ...snap.learners.map((l) => {
          const option = el('option', { textContent: l.displayName });
          option.value = l.id;
          return option;
        }),
      );
      to.value = chosen;
    },
  };
}
