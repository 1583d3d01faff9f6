import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fillPlaceholders, stepText } from '../../../labkit/content';
import type { LabModule, LabView } from '../../../labkit/types';
import { catalog } from '../../../labs';

/** A view that knows only the lab's own topology, so a placeholder naming anything else throws. */
function topologyView(lab: LabModule): LabView {
  return {
    address(machineId, networkId) {
      const machine = lab.topology.machines.find((m) => m.id === machineId);
      const nic = machine?.nics.find((n) => n.network === networkId);
      if (!nic) throw new Error(`${lab.id}: ${machineId} has no NIC on ${networkId}`);
      return `192.0.2.${nic.host}`;
    },
    subnet(networkId) {
      if (!lab.topology.networks.some((n) => n.id === networkId)) throw new Error(`${lab.id}: no network ${networkId}`);
      return '192.0.2.0/24';
    },
    param(name) {
      if (!lab.parameters?.[name]) throw new Error(`${lab.id}: no parameter ${name}`);
      return '4242';
    },
  };
}

function markdownFile(text: string): URL {
  const dir = mkdtempSync(join(tmpdir(), 'lab-content-'));
  writeFileSync(join(dir, 'step.md'), text);
  return pathToFileURL(join(dir, 'step.md'));
}

describe('lab text comes from Markdown files', () => {
  for (const lab of catalog.list()) {
    it(`${lab.id}: every placeholder in its intro, instructions and hints names its own machines and networks`, () => {
      const view = topologyView(lab);
      const texts = [lab.intro(view), ...lab.steps.flatMap((s) => [s.instructions(view), ...s.hints(view)])];
      for (const text of texts) expect(text).not.toMatch(/\{\{|\}\}/);
      expect(lab.steps.every((s) => s.title.length > 0 && s.instructions(view).length > 40)).toBe(true);
    });
  }

  it('fills addresses, subnets and parameters in the text', () => {
    const view: LabView = { address: (m, n) => `${m}@${n}`, subnet: (n) => `${n}/24`, param: (p) => `<${p}>` };
    expect(fillPlaceholders('nc {{machine2.lan}} {{param.agentPort}} from {{ subnet.office }}', view)).toBe(
      'nc machine2@lan <agentPort> from office/24',
    );
  });

  it('reads title, questions and hints from the front matter', () => {
    const text = stepText(
      markdownFile(
        '---\ntitle: Scan it\nquestions:\n  - id: port\n    prompt: Which port?\nhints:\n  - Try `nmap {{m1.lan}}`\n---\nRun **nmap**.\n',
      ),
    );
    const view: LabView = { address: () => '10.0.0.1', subnet: () => '10.0.0.0/24', param: () => '1' };
    expect(text.title).toBe('Scan it');
    expect(text.questions).toEqual([{ id: 'port', prompt: 'Which port?' }]);
    expect(text.hints(view)).toEqual(['Try `nmap 10.0.0.1`']);
    expect(text.instructions(view)).toBe('Run **nmap**.');
  });

  it('names the file and the field when the front matter is wrong', () => {
    const file = markdownFile('---\ntitel: typo\n---\nBody\n');
    expect(() => stepText(file)).toThrow(/step\.md: bad front matter[\s\S]*title/);
  });
});
