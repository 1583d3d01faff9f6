/** The page's one confirm dialog (a styled <dialog>, not the browser's confirm()): resolves true on OK. */
export function confirmDialog(
  dialog: HTMLDialogElement,
  { title, text, ok }: { title: string; text: string; ok: string },
): Promise<boolean> {
  const set = (selector: string, value: string): void => {
    const node = dialog.querySelector(selector);
    if (node) node.textContent = value;
  };
  set('#confirm-title', title);
  set('#confirm-text', text);
  set('#confirm-ok', ok);
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) =>
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true }),
  );
}
