/**
 * The divider between instructions and terminals: a window splitter (WAI-ARIA "separator") that
 * the learner drags, or moves with the arrow keys, Home and End. Its place is the instructions'
 * share of the width, remembered in localStorage. Terminals refit by themselves (they watch their
 * own size). On narrow screens, where the panes switch instead, the CSS hides it.
 */
import './paneDivider.css';

const KEY = 'ipl.guideWidth';
const MIN = 20;
const MAX = 70;
const STEP = 2;

const clamp = (percent: number): number => Math.round(Math.min(MAX, Math.max(MIN, percent)));

export function mountPaneDivider(workspace: HTMLElement, guide: HTMLElement, console: HTMLElement): void {
  const divider = document.createElement('div');
  divider.className = 'pane-divider';
  divider.tabIndex = 0;
  divider.setAttribute('role', 'separator');
  divider.setAttribute('aria-orientation', 'vertical');
  divider.setAttribute('aria-label', 'Resize instructions and terminals');
  guide.id ||= 'guide';
  divider.setAttribute('aria-controls', guide.id);
  divider.setAttribute('aria-valuemin', String(MIN));
  divider.setAttribute('aria-valuemax', String(MAX));
  workspace.insertBefore(divider, console);

  const set = (percent: number, remember: boolean): void => {
    const value = clamp(percent);
    workspace.style.setProperty('--guide-width', `${value}%`);
    divider.setAttribute('aria-valuenow', String(value));
    divider.setAttribute('aria-valuetext', `Instructions ${value}% of the width`);
    if (remember) localStorage.setItem(KEY, String(value));
  };
  const stored = Number(localStorage.getItem(KEY));
  if (stored) set(stored, false);
  else {
    // Until moved, the stylesheet's own layout stands; report where it puts the divider.
    const measure = (): void => {
      const width = workspace.getBoundingClientRect().width;
      if (width > 0 && !workspace.style.getPropertyValue('--guide-width'))
        divider.setAttribute('aria-valuenow', String(clamp((guide.getBoundingClientRect().width / width) * 100)));
    };
    measure();
    new ResizeObserver(measure).observe(workspace);
  }
  const current = (): number => Number(divider.getAttribute('aria-valuenow') ?? 36);

  divider.addEventListener('keydown', (event) => {
    const next: Record<string, number> = {
      ArrowLeft: current() - STEP,
      ArrowRight: current() + STEP,
      Home: MIN,
      End: MAX,
    };
    const value = next[event.key];
    if (value === undefined) return;
    event.preventDefault();
    set(value, true);
  });

  divider.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    divider.setPointerCapture(event.pointerId);
    divider.classList.add('dragging');
    const move = (e: PointerEvent): void => {
      const box = workspace.getBoundingClientRect();
      set(((e.clientX - box.left) / box.width) * 100, true);
    };
    const stop = (): void => {
      divider.classList.remove('dragging');
      divider.removeEventListener('pointermove', move);
      divider.removeEventListener('pointerup', stop);
      divider.removeEventListener('pointercancel', stop);
    };
    divider.addEventListener('pointermove', move);
    divider.addEventListener('pointerup', stop);
    divider.addEventListener('pointercancel', stop);
  });
}
