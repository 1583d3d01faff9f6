import type { FirewallView } from '../../../protocol/inspector';
import { el } from '../dom';

export interface LabMachines {
  machines: { id: string; label: string; addresses: Record<string, string> }[];
  /** The machine whose firewall is shown. */
  firewall: FirewallView;
}

let nextId = 0;

/** A labelled control; the label is tied to it for screen readers. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement): HTMLElement {
  control.id ||= `fw-field-${++nextId}`;
  const l = el('label', { textContent: label });
  l.htmlFor = control.id;
  return el('div', { className: 'fw-field' }, l, control);
}

/** The lab's other machines by name, plus an optional "any" entry first. */
export function machineChoices(machines: LabMachines, any?: string): HTMLSelectElement {
  const select = el('select');
  const add = (value: string, text: string): void => {
    const o = el('option', { textContent: text });
    o.value = value;
    select.append(o);
  };
  if (any) add('', any);
  for (const m of machines.machines)
    if (m.id !== machines.firewall.machineId) add(m.id, `${m.label} (${Object.values(m.addresses).join(', ')})`);
  return select;
}
