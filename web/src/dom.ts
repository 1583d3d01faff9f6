/** The page's DOM helpers, for every page of web/. */

export interface ElProps {
  className?: string;
  textContent?: string;
  title?: string;
  /** data-* attributes, by their dataset name: { machineId: 'm1' } is data-machine-id. */
  data?: Record<string, string>;
  /** Any other attribute as written in HTML: { type: 'button', 'aria-live': 'polite' }. */
  attrs?: Record<string, string>;
}

/** Builds an element. Text only ever goes in through textContent, so user data is never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElProps = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props.attrs ?? {})) node.setAttribute(name, value);
  if (props.className) node.className = props.className;
  if (props.textContent !== undefined) node.textContent = props.textContent;
  if (props.title) node.title = props.title;
  for (const [key, value] of Object.entries(props.data ?? {})) node.dataset[key] = value;
  node.append(...children);
  return node;
}

/** The page's one element for a selector; a page without it is a bug, so this throws. */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- querySelector's own idiom: the caller names the element type
export const $ = <T extends HTMLElement = HTMLElement>(selector: string): T => {
  const node = document.querySelector<T>(selector);
  if (!node) throw new Error(`page is missing ${selector}`);
  return node;
};
