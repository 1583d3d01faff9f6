import type { LabSessionState } from './LabSessionState';

/**
 * On a phone or tablet the steps are a pane of their own: a pass must still be seen from the
 * terminals. A newly passed step puts a badge on the Instructions switch (read out, as it is a
 * live region) until the learner goes there.
 */
export function passBadge(state: LabSessionState, guideButton: HTMLElement): void {
  const badge = document.createElement('span');
  badge.className = 'pane-badge';
  badge.setAttribute('role', 'status');
  guideButton.after(badge);
  const passed = new Set<string>();
  let known = false;
  const clear = (): void => {
    badge.textContent = '';
    badge.hidden = true;
  };
  clear();
  guideButton.addEventListener('click', clear);
  state.on((event) => {
    if (event.type !== 'steps' && event.type !== 'verdict') return;
    const newly = event.steps.steps.filter((s) => s.state.status === 'passed' && !passed.has(s.id));
    for (const step of newly) passed.add(step.id);
    // The first copy of the steps is what had passed before this page opened: nothing new.
    const first = !known;
    known = true;
    const step = newly.at(-1);
    if (first || !step || document.body.dataset.pane === 'guide') return;
    badge.textContent = `✓ Step ${step.number} passed`;
    badge.hidden = false;
  });
}
