/**
 * Re-renders `container` with `render()` and gives focus back to the control that had it, found
 * again by `keyOf`: when the rules change under a keyboard user on a "line 11" button, they must not
 * be thrown back to the top of the page.
 */
export function renderKeepingFocus(
  container: HTMLElement,
  render: () => Node,
  keyOf: (control: HTMLElement) => string | undefined,
): void {
  const active = document.activeElement;
  const key = active instanceof HTMLElement && container.contains(active) ? keyOf(active) : undefined;
  container.replaceChildren(render());
  if (key === undefined) return;
  for (const candidate of container.querySelectorAll<HTMLElement>('button, a[href]'))
    if (keyOf(candidate) === key) {
      candidate.focus({ preventScroll: true });
      return;
    }
}
