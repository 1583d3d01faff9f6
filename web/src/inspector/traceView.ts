import type { ClientMessage, Protocol, ServerMessage, TraceHop } from '../../../protocol/inspector';
import { el } from '../dom';
import { field, machineChoices, type LabMachines } from './formFields';

type TraceMessage = Extract<ServerMessage, { type: 'trace' }>;

/** "Why was my packet dropped?": traces real packets through the inspected machine's kernel. */
export class TraceView {
  readonly element: HTMLElement;
  private readonly result = el('div', { className: 'fw-trace-result' });
  private readonly status = el('p', { className: 'fw-muted' });
  private readonly start = el('button', { className: 'primary', textContent: 'Start trace' });
  private readonly stop = el('button', { textContent: 'Stop' });
  private running = false;

  constructor(
    machines: LabMachines,
    private readonly send: (message: ClientMessage) => boolean,
    private readonly onLine: (line: number) => void,
  ) {
    const from = machineChoices(machines, 'Any machine');
    const protocol = el(
      'select',
      {},
      ...[
        ['', 'Any protocol'],
        ['icmp', 'ping (ICMP)'],
        ['tcp', 'TCP'],
        ['udp', 'UDP'],
      ].map(([v, t]) => option(v ?? '', t ?? '')),
    );
    const port = el('input');
    port.type = 'number';
    port.min = '1';
    port.max = '65535';
    port.placeholder = 'any';
    const packets = el('input');
    packets.type = 'number';
    packets.min = '1';
    packets.max = '50';
    packets.value = '10';
    this.start.type = 'button';
    this.stop.type = 'button';
    this.stop.disabled = true;
    this.start.addEventListener('click', () => {
      const filter: Extract<ClientMessage, { type: 'traceStart' }>['filter'] = {
        packets: Math.min(50, Math.max(1, Number(packets.value) || 10)),
      };
      if (from.value) filter.from = from.value;
      if (protocol.value) filter.protocol = protocol.value as Protocol;
      if (port.value && protocol.value !== 'icmp') filter.port = Number(port.value);
      if (!this.send({ type: 'traceStart', filter })) this.status.textContent = 'Not connected; try again in a moment.';
    });
    this.stop.addEventListener('click', () => this.send({ type: 'traceStop' }));
    const form = el(
      'div',
      { className: 'fw-form' },
      field('From', from),
      field('Protocol', protocol),
      field('Port', port),
      field('Packets', packets),
      el('div', { className: 'fw-actions' }, this.start, this.stop),
    );
    this.element = el(
      'section',
      { className: 'fw-panel fw-trace' },
      el('h3', { textContent: 'Trace real packets' }),
      el('p', {
        className: 'fw-muted',
        textContent: `Start a trace, then send the traffic from a terminal (ping, curl, nmap): the trace keeps running while you are there. ${machines.firewall.label}'s kernel reports what happened to each packet in the running rules. The trace stops after the packets you asked for, or 60 seconds.`,
      }),
      form,
      this.status,
      this.result,
    );
  }

  /** A new connection: no trace until the server says one runs (its state follows at once). */
  connected(): void {
    if (!this.running) return;
    this.running = false;
    this.start.disabled = false;
    this.stop.disabled = true;
    this.status.textContent = '';
  }

  update(message: TraceMessage): void {
    this.running = message.state === 'running';
    this.start.disabled = this.running;
    this.stop.disabled = !this.running;
    this.status.textContent = this.running
      ? `Tracing ${message.description}… ${message.packets.length} so far.`
      : `Trace of ${message.description} finished${message.reason ? `: ${message.reason}` : ''}. ${message.packets.length} packet${message.packets.length === 1 ? '' : 's'}.`;
    this.result.replaceChildren(
      ...message.packets.map((p) =>
        el(
          'div',
          { className: 'fw-packet', data: { verdict: p.verdict ?? '' } },
          el(
            'div',
            { className: 'fw-packet-head' },
            el('span', { textContent: `${p.summary}${p.inInterface ? ` on ${p.inInterface}` : ''}` }),
            el('b', {
              className: `fw-verdict fw-v-${(p.verdict ?? 'none').toLowerCase()}`,
              textContent: p.verdict ?? '…',
            }),
          ),
          el('p', { className: 'fw-fate', textContent: p.fate }),
          el(
            'details',
            { className: 'fw-hops-details' },
            el('summary', { textContent: 'Rule by rule' }),
            el(
              'ol',
              { className: 'fw-hops' },
              ...p.hops.map((h, i) => this.hop(h, i === p.hops.length - 1 && p.verdict !== undefined)),
            ),
          ),
        ),
      ),
    );
  }

  private hop(hop: TraceHop, deciding: boolean): HTMLElement {
    const where = hop.policy
      ? `${hop.chain} policy`
      : hop.number === undefined
        ? hop.chain
        : `${hop.chain} rule ${hop.number}`;
    const item = el(
      'li',
      { className: deciding ? 'fw-deciding' : '' },
      el('span', { textContent: `${where} → ` }),
      el('b', { textContent: hop.verdict }),
    );
    if (hop.text) item.append(' ', el('code', { textContent: hop.text }));
    if (hop.fileLine !== undefined) {
      const line = hop.fileLine;
      const link = el('button', { className: 'fw-line-link', textContent: `line ${line}` });
      link.type = 'button';
      link.addEventListener('click', () => this.onLine(line));
      item.append(' ', link);
    }
    return item;
  }
}

function option(value: string, text: string): HTMLOptionElement {
  const o = el('option', { textContent: text });
  o.value = value;
  return o;
}
