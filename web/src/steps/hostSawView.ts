/**
 * "What the host saw" under the current step: the step's latest check as the journal recorded it
 * (the evidence its verdict cites) and the newest packets, ruleset changes and files the host
 * observed itself. Fetched when opened, and again after each verdict while open.
 */
import { api } from '../api';
import { el } from '../dom';
import type { HostSawView as HostSawJson, TimelineEntry } from '../../../protocol/timeline';
import { errorMessage } from '../errorMessage';

const clock = (at: number): string => new Date(at).toLocaleTimeString([], { hour12: false });

export interface HostSawDisclosure {
  element: HTMLDetailsElement;
  /** Loads again if open (a verdict arrived). */
  refresh(): void;
}

export function hostSawDisclosure(sessionId: string, stepId: string): HostSawDisclosure {
  const details = el('details', { className: 'host-saw', data: { step: stepId } });
  const body = el('div', { className: 'host-saw-body', attrs: { 'aria-live': 'polite' } });
  details.append(el('summary', { textContent: 'What the host saw' }), body);
  const url = `/api/sessions/${encodeURIComponent(sessionId)}/host-saw?step=${encodeURIComponent(stepId)}`;
  let loading = false;

  const line = (e: TimelineEntry): HTMLLIElement =>
    el('li', { data: { kind: e.kind } }, el('time', { textContent: clock(e.at) }), ' ', e.text);

  async function load(): Promise<void> {
    if (loading) return;
    loading = true;
    try {
      const saw = await api<HostSawJson>(url);
      const parts: HTMLElement[] = [];
      if (saw.lastCheck)
        parts.push(
          el('p', {
            className: 'host-saw-check',
            textContent: `Your last check (${clock(saw.lastCheck.at)}): ${saw.lastCheck.passed ? 'passed' : 'not yet'}.`,
          }),
          el('blockquote', { textContent: (saw.lastCheck.detail ?? []).join('\n') }),
        );
      else parts.push(el('p', { className: 'muted', textContent: 'No check of this step yet.' }));
      parts.push(
        saw.recent.length > 0
          ? el(
              'ul',
              { className: 'host-saw-recent', attrs: { 'aria-label': 'Newest things the host saw' } },
              ...saw.recent.map(line),
            )
          : el('p', { className: 'muted', textContent: 'The host has seen no packets or ruleset changes yet.' }),
      );
      parts.push(
        el('p', {
          className: 'muted host-saw-note',
          textContent:
            'Recorded by the lab server outside your machines: packets on the lab network, rules and files read from the host.',
        }),
      );
      body.replaceChildren(...parts);
    } catch (error) {
      body.replaceChildren(el('p', { textContent: `Could not load it: ${errorMessage(error)}` }));
    } finally {
      loading = false;
    }
  }

  details.addEventListener('toggle', () => {
    if (details.open) void load();
  });
  return {
    element: details,
    refresh() {
      if (details.open) void load();
    },
  };
}
