import type { FirewallSnapshot, FirewallView as Firewall, ServerMessage } from '../../../protocol/inspector';
import { el } from '../dom';
import { chainsShape, updateCounters } from './chainCounters';
import { renderChains } from './chainsView';
import { renderFile, renderNotice } from './fileView';
import type { LabMachines } from './formFields';
import { InspectorSocket } from './InspectorSocket';
import { renderKeepingFocus } from './keptFocus';
import './inspector.css';
import { TraceView } from './traceView';
import { WhatIfView } from './whatIfView';

/**
 * A machine's firewall, live: running chains with counters next to the rules file, a packet
 * trace and a what-if form. Connected only between show() and hide(); a trace started here
 * keeps running on the server meanwhile, and its result arrives when the view is back.
 */
export class FirewallView {
  readonly element: HTMLElement;
  private readonly status = el('p', { className: 'fw-status' });
  private readonly notice = el('div', { className: 'fw-notice-slot' });
  private readonly chains = el('div', { className: 'fw-col-body' });
  private readonly file = el('div', { className: 'fw-col-body' });
  private readonly socket: InspectorSocket;
  private readonly tools = el('div', { className: 'fw-columns' });
  private trace: TraceView | undefined;
  private whatIf: WhatIfView | undefined;
  private machines = '';
  private firewall: Firewall | undefined;
  private readonly title = el('h2', { textContent: 'Firewall' });
  private readonly fileTitle = el('h3', { textContent: 'Rules file on disk' });
  private last: FirewallSnapshot | undefined;
  private fileKey = '';
  private chainsKey = '';

  constructor(url: string) {
    this.socket = new InspectorSocket(
      url,
      (m) => this.onMessage(m),
      (state, reason) => {
        this.status.textContent =
          state === 'open'
            ? 'Live: counters refresh every second.'
            : `Disconnected${reason ? ` (${reason})` : ''}; reconnecting…`;
      },
    );
    this.status.setAttribute('role', 'status');
    this.element = el(
      'div',
      { className: 'fw-view' },
      el('div', { className: 'fw-head' }, this.title, this.status),
      this.notice,
      el(
        'div',
        { className: 'fw-columns' },
        el('section', { className: 'fw-col' }, el('h3', { textContent: 'Running rules (filter table)' }), this.chains),
        el('section', { className: 'fw-col' }, this.fileTitle, this.file),
      ),
      this.tools,
    );
    this.chains.textContent = 'Reading the firewall…';
  }

  show(): void {
    this.socket.open();
  }

  hide(): void {
    this.socket.close();
    this.status.textContent = 'Paused while hidden.';
  }

  private onMessage(message: ServerMessage): void {
    switch (message.type) {
      case 'lab':
        this.firewall = message.firewall;
        this.title.textContent = `Firewall of ${message.firewall.label}`;
        this.fileTitle.replaceChildren(el('code', { textContent: message.firewall.rulesFile }), ' on disk');
        this.buildTools({ machines: message.machines, firewall: message.firewall });
        // A fresh connection: the trace's state follows, if there is one.
        this.trace?.connected();
        break;
      case 'snapshot': {
        const previous = this.last;
        this.last = message.data;
        // Under traffic only the counters move: they are written in place. Rules that changed
        // are rebuilt, with focus brought back to the control that had it.
        const chainsKey = chainsShape(message.data);
        if (chainsKey === this.chainsKey) updateCounters(this.chains, message.data, previous);
        else {
          this.chainsKey = chainsKey;
          renderKeepingFocus(
            this.chains,
            () => renderChains(message.data, previous, (line) => this.showLine(line)),
            ruleControl,
          );
        }
        // Counters move every second under traffic; the file and its marks only when it changes.
        const fileKey = JSON.stringify([
          message.data.file,
          message.data.chains.map((c) => c.rules.map((r) => r.fileLine)),
        ]);
        if (fileKey !== this.fileKey) {
          this.fileKey = fileKey;
          this.file.replaceChildren(renderFile(message.data));
        }
        const notice = this.firewall ? renderNotice(message.data, this.firewall) : undefined;
        this.notice.replaceChildren(...(notice ? [notice] : []));
        this.element.dataset.inSync = String(message.data.inSync);
        break;
      }
      case 'unavailable':
        this.status.textContent = message.message;
        break;
      case 'trace':
        this.trace?.update(message);
        break;
      case 'whatIf':
        this.whatIf?.update(message);
        break;
      case 'error':
        this.status.textContent = message.message;
        break;
    }
  }

  /** The trace and what-if forms name the lab's machines; rebuilt only when they change (a reset). */
  private buildTools(machines: LabMachines): void {
    const key = JSON.stringify(machines);
    if (key === this.machines) return;
    this.machines = key;
    const send = this.socket.send.bind(this.socket);
    const showLine = (line: number): void => this.showLine(line);
    this.trace = new TraceView(machines, send, showLine);
    this.whatIf = new WhatIfView(machines, send, showLine);
    this.tools.replaceChildren(this.trace.element, this.whatIf.element);
  }

  private showLine(line: number): void {
    const target = this.file.querySelector<HTMLElement>(`#fw-line-${line}`);
    if (!target) return;
    for (const other of this.file.querySelectorAll('.fw-focus')) other.classList.remove('fw-focus');
    target.classList.add('fw-focus');
    target.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }
}

/** A control in the chains by what it does: its chain, its rule and its kind (line or jump). */
function ruleControl(control: HTMLElement): string | undefined {
  const rule = control.closest<HTMLElement>('li.fw-rule');
  const chain = control.closest<HTMLElement>('section.fw-chain');
  return rule && chain ? `${chain.id}|${rule.dataset.number ?? ''}|${control.className}` : undefined;
}
