import type { ClientMessage, Protocol, ServerMessage, WhatIfAnswer } from '../../../protocol/inspector';
import { el } from '../dom';
import { field, machineChoices, type LabMachines } from './formFields';

type WhatIfMessage = Extract<ServerMessage, { type: 'whatIf' }>;

/** "What if a packet …": answered from the rule model for the running rules and the file. */
export class WhatIfView {
  readonly element: HTMLElement;
  private readonly answers = el('div', { className: 'fw-answers' });
  private asked = 0;

  constructor(
    machines: LabMachines,
    private readonly send: (message: ClientMessage) => boolean,
    private readonly onLine: (line: number) => void,
  ) {
    const from = machineChoices(machines);
    const other = el('option', { textContent: 'Another address…' });
    other.value = 'other';
    from.append(other);
    const address = el('input');
    address.placeholder = '192.168.1.20';
    const inspected = machines.machines.find((m) => m.id === machines.firewall.machineId);
    const to = el(
      'select',
      {},
      ...Object.values(inspected?.addresses ?? {}).map((a) => {
        const o = el('option', { textContent: a });
        o.value = a;
        return o;
      }),
    );
    const protocol = el(
      'select',
      {},
      ...(['tcp', 'udp', 'icmp'] as const).map((p) => {
        const o = el('option', { textContent: p === 'icmp' ? 'ICMP (ping)' : p.toUpperCase() });
        o.value = p;
        return o;
      }),
    );
    const port = el('input');
    port.type = 'number';
    port.min = '1';
    port.max = '65535';
    port.value = '80';
    protocol.addEventListener('change', () => (port.disabled = protocol.value === 'icmp'));
    const state = el(
      'select',
      {},
      ...[
        ['NEW', 'new connection'],
        ['ESTABLISHED', 'established (a reply)'],
      ].map(([v, t]) => {
        const o = el('option', { textContent: t ?? '' });
        o.value = v ?? '';
        return o;
      }),
    );
    // The sending machine's network decides which of the inspected machine's addresses it reaches.
    from.addEventListener('change', () => {
      const sender = machines.machines.find((m) => m.id === from.value);
      const shared =
        sender && inspected ? Object.keys(sender.addresses).find((n) => inspected.addresses[n]) : undefined;
      if (shared && inspected?.addresses[shared]) to.value = inspected.addresses[shared] ?? to.value;
    });
    from.dispatchEvent(new Event('change'));
    const ask = el('button', { className: 'primary', textContent: 'Ask' });
    ask.type = 'button';
    ask.addEventListener('click', () => {
      const query = {
        from: from.value === 'other' ? address.value.trim() : from.value,
        to: to.value,
        protocol: protocol.value as Protocol,
        state: state.value as 'NEW' | 'ESTABLISHED',
        ...(protocol.value === 'icmp' || !port.value ? {} : { port: Number(port.value) }),
      };
      this.asked += 1;
      if (!this.send({ type: 'whatIf', id: this.asked, query }))
        this.answers.replaceChildren(el('p', { textContent: 'Not connected; try again in a moment.' }));
    });
    this.element = el(
      'section',
      { className: 'fw-panel fw-whatif' },
      el('h3', { textContent: 'What if…' }),
      el(
        'div',
        { className: 'fw-form' },
        field('A packet from', from),
        field('Address', address),
        field('to', to),
        field('Protocol', protocol),
        field('Port', port),
        field('Connection', state),
        el('div', { className: 'fw-actions' }, ask),
      ),
      this.answers,
    );
    const addressField = address.parentElement;
    if (addressField) {
      addressField.hidden = true;
      from.addEventListener('change', () => (addressField.hidden = from.value !== 'other'));
    }
  }

  update(message: WhatIfMessage): void {
    if (message.id !== this.asked) return;
    if (message.error) {
      this.answers.replaceChildren(el('p', { className: 'fw-problem', textContent: message.error }));
      return;
    }
    const [running, file] = message.answers;
    const differ =
      running && file && (running.verdict !== file.verdict || running.deciding?.fileLine !== file.deciding?.fileLine);
    const shown = differ ? message.answers : message.answers.slice(0, 1);
    this.answers.replaceChildren(...shown.map((a) => this.answer(a, differ === true)));
  }

  private answer(a: WhatIfAnswer, both: boolean): HTMLElement {
    const title =
      a.source === 'running' ? (both ? 'Running rules' : 'Running rules (the file agrees)') : 'The file on disk';
    const box = el(
      'div',
      { className: 'fw-answer', data: { source: a.source, verdict: a.verdict } },
      el(
        'h4',
        {},
        `${title}: `,
        el('b', { className: `fw-verdict fw-v-${a.verdict.toLowerCase()}`, textContent: a.verdict }),
      ),
      el('p', { className: 'fw-summary', textContent: a.summary + (a.rejectWith ? ` (answers ${a.rejectWith})` : '') }),
    );
    const steps = el(
      'ol',
      { className: 'fw-path' },
      ...a.path.map((s) => {
        const item = el(
          'li',
          { className: s.effect === 'passed' ? 'fw-passed' : s.effect === 'verdict' ? 'fw-deciding' : 'fw-matched' },
          el('span', { textContent: `${s.chain} ${s.number}${s.fileLine ? ` (line ${s.fileLine})` : ''}: ` }),
          el('code', { textContent: s.text }),
        );
        item.append(
          el('span', {
            className: 'fw-reason',
            textContent:
              s.effect === 'passed'
                ? ` — skipped: ${s.reason ?? ''}`
                : s.effect === 'verdict'
                  ? ' — decides'
                  : ` — matches, ${s.effect}`,
          }),
        );
        if (s.fileLine !== undefined) {
          const line = s.fileLine;
          item.addEventListener('click', () => this.onLine(line));
        }
        return item;
      }),
    );
    box.append(steps);
    for (const note of a.notes) box.append(el('p', { className: 'fw-muted', textContent: `Note: ${note}` }));
    return box;
  }
}
