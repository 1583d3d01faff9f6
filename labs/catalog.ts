/**
 * The labs as the session and page layer (server/sessions/labCatalog) sees them. Addresses in the
 * Markdown are left as {{machine.network}} placeholders, which the page fills per session; the
 * grading API serves the same text already filled in.
 */
import { staticCatalog, type LabCatalog, type LabDefinition } from '../server/sessions/labCatalog';
import { labs } from './index';
import type { LabModule, LabView } from './types';

const placeholders: LabView = {
  address: (machineId, networkId) => `{{${machineId}.${networkId}}}`,
  // The page has no subnet placeholder; the grading API's text names the real subnet.
  subnet: (networkId) => `the ${networkId === 'lan' ? 'LAN' : 'remote office'} subnet`,
};

export function toDefinition(lab: LabModule): LabDefinition {
  return {
    id: lab.id,
    title: lab.title,
    summary: lab.summary,
    topology: lab.topology,
    introMarkdown: lab.intro(placeholders),
    steps: lab.steps.map((s) => ({ id: s.id, title: s.title, markdown: s.instructions(placeholders) })),
  };
}

export const labCatalog: LabCatalog = staticCatalog(labs.map(toDefinition));
