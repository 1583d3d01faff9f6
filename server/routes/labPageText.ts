import type { LabModule, LabView } from '../../labkit/types';

/**
 * A lab's text as the lab page receives it: addresses stay {{machine.network}} placeholders,
 * which the page fills per session; the grading API serves the same text already filled in.
 */
export function labPageText(lab: LabModule): {
  introMarkdown: string;
  steps: { id: string; title: string; markdown: string }[];
} {
  const placeholders: LabView = {
    address: (machineId, networkId) => `{{${machineId}.${networkId}}}`,
    // The page has no subnet placeholder; the grading API's text names the real subnet.
    subnet: (networkId) => `the ${networkName(lab, networkId)} subnet`,
    // Drawn per learner: only the grading API's text (per session) has the values.
    param: (name) => `your ${name}`,
  };
  return {
    introMarkdown: lab.intro(placeholders),
    steps: lab.steps.map((s) => ({ id: s.id, title: s.title, markdown: s.instructions(placeholders) })),
  };
}

/** "LAN" stays as it is; "Remote office" reads "remote office" inside a sentence. */
function networkName(lab: LabModule, networkId: string): string {
  const label = lab.topology.networks.find((n) => n.id === networkId)?.label ?? networkId;
  return label === label.toUpperCase() ? label : label.charAt(0).toLowerCase() + label.slice(1);
}
