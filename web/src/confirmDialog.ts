/**
 * The page's one confirm dialog (a styled <dialog>, not the browser's confirm()). `alt` offers a
 * gentler second choice next to OK (End lab offers Sleep); without it that button stays hidden.
 */
export function chooseDialog(
  dialog: HTMLDialogElement,
  { title, text, ok, alt }: { title: string; text: string; ok: string; alt?: string },
): Promise<'ok' | 'alt' | 'cancel'> {
  const set = (selector: string, value: string): void => {
    const node = dialog.querySelector(selector);
    if (node) node.textContent = value;
  };
  set('#confirm-title', title);
  set('#confirm-text', text);
  set('#confirm-ok', ok);
  const altButton = dialog.querySelector<HTMLButtonElement>('#confirm-alt');
  if (altButton) {
    altButton.hidden = alt === undefined;
    altButton.textContent = alt ?? '';
  }
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) =>
    dialog.addEventListener(
      'close',
      () => resolve(dialog.returnValue === 'ok' || dialog.returnValue === 'alt' ? dialog.returnValue : 'cancel'),
      { once: true },
    ),
  );
}

/** Resolves true on OK. */
export async function confirmDialog(
  dialog: HTMLDialogElement,
  options: { title: string; text: string; ok: string },
): Promise<boolean> {
  return (await chooseDialog(dialog, options)) === 'ok';
}
