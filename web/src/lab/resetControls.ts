import { api } from '../api';
import { confirmDialog } from '../confirmDialog';
import type { LabSessionState } from './LabSessionState';
import type { TerminalTabs } from './TerminalTabs';
import { errorMessage } from '../errorMessage';

export interface ResetDeps {
  state: LabSessionState;
  tabs: TerminalTabs;
  notify: (message: string) => void;
  status: HTMLElement;
  confirm: HTMLDialogElement;
  resetButton: HTMLButtonElement;
  /** Shown over the terminals while fresh machines start. */
  panel: HTMLElement;
  /** Reset, Sleep and End: nothing else may happen to the lab while it is being replaced. */
  lifeButtons: HTMLButtonElement[];
}

/**
 * Reset lab: the button asks (once confirmed); the event socket says it started (by the learner
 * or the instructor) and when the fresh machines are ready. Meanwhile a panel over the terminals
 * says what is happening and the lab's buttons are off; afterwards the keyboard is back in the
 * terminal, so nothing typed lands on a button.
 */
export function resetControls(deps: ResetDeps): void {
  let resetting = false;
  /** The server said a reset is under way (this page's, or the instructor's). */
  let underWay = false;
  const start = (text: string): void => {
    deps.status.textContent = text;
    deps.panel.querySelector('.resetting-text')?.replaceChildren(text);
    deps.panel.hidden = false;
    for (const button of deps.lifeButtons) button.disabled = true;
    if (resetting) return;
    resetting = true;
    deps.tabs.clearAll();
  };
  const finish = (): void => {
    resetting = false;
    deps.panel.hidden = true;
    for (const button of deps.lifeButtons) button.disabled = false;
    deps.status.textContent = '';
  };
  deps.state.on((event) => {
    if (event.type === 'resetting') {
      underWay = true;
      start(event.by === 'instructor' ? 'Your instructor is resetting the lab…' : 'Resetting the lab…');
    } else if (event.type === 'reset') {
      underWay = false;
      finish();
      deps.tabs.update(event.session);
      deps.tabs.reconnectAll();
      // The learner's own reset (its button is off meanwhile, so the focus is lost): back to the
      // terminal. An instructor's reset leaves a learner who is typing an answer where they are.
      const active = document.activeElement;
      if (event.by === 'learner' || !active || active === document.body) deps.tabs.focusSelected();
      deps.notify(
        event.by === 'instructor'
          ? 'Your instructor reset the lab: fresh machines, with the addresses shown here.'
          : 'The lab was reset: fresh machines, with the addresses shown here.',
      );
    } else if (event.type === 'session' && resetting && event.session.status !== 'resetting') {
      underWay = false;
      // The page was away when the reset finished: the reconnect's copy says it is over.
      finish();
      deps.tabs.reconnectAll();
    }
  });
  deps.resetButton.addEventListener('click', () => {
    void confirmDialog(deps.confirm, {
      title: 'Reset the lab?',
      text: 'All machines are replaced with fresh ones; your changes on them are lost. Your progress on the steps is kept.',
      ok: 'Reset lab',
    }).then((yes) => {
      if (!yes) return;
      start('Resetting the lab…');
      api(deps.state.session.links.reset, { method: 'POST' }).catch((error: unknown) => {
        // Refused because a reset is already under way: that one's events end the wait.
        if (underWay) return;
        finish();
        deps.status.textContent = `Reset failed: ${errorMessage(error)}`;
      });
    });
  });
}
