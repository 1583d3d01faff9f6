import { chapterTopology, type Topology } from '../runtime/topology';

/**
 * What labs exist and what a learner reads while doing them. Issue 4 (graded steps) replaces the
 * placeholder with labs loaded from labs/; the page only relies on this shape.
 */
export interface LabStep {
  id: string;
  title: string;
  /** Markdown; fenced code blocks get a copy button on the page. */
  markdown: string;
}

export interface LabDefinition {
  id: string;
  title: string;
  summary: string;
  topology: Topology;
  /** Shown above the steps. */
  introMarkdown: string;
  steps: LabStep[];
}

export interface LabCatalog {
  list(): LabDefinition[];
  get(labId: string): LabDefinition | undefined;
}

export function staticCatalog(labs: LabDefinition[]): LabCatalog {
  return {
    list: () => labs,
    get: (labId) => labs.find((lab) => lab.id === labId),
  };
}

const placeholderIntro = `You have three real Linux machines. **Machine 1** is a Red Hat style server whose firewall
is loaded from \`/etc/sysconfig/iptables\` at boot. **Machine 2** sits on the same LAN, and
**office-pc** is on the remote office network behind Machine 1.

Graded steps arrive in a later release; until then, try the chapter's commands yourself.`;

export const singleServerLab: LabDefinition = {
  id: 'iptables-single-server',
  title: 'iptables and the Single Server',
  summary: 'Read, change and test the default Red Hat firewall of a single server, from the machine itself and from the LAN.',
  topology: chapterTopology,
  introMarkdown: placeholderIntro,
  steps: [
    {
      id: 'look',
      title: 'Look at the rules',
      markdown: 'On **Machine 1**, show the rule file and the live rules:\n\n```\ncat /etc/sysconfig/iptables\n```\n\n```\nservice iptables status\n```',
    },
    {
      id: 'ping',
      title: 'Ping Machine 1 from the LAN',
      markdown: 'On **Machine 2**, ping Machine 1. The ICMP rule lets it through:\n\n```\nping -c 2 {{machine1.lan}}\n```',
    },
    {
      id: 'block-icmp',
      title: 'Block ICMP',
      markdown:
        'On **Machine 1**, comment out the ICMP rule and restart the firewall:\n\n```\nsed -i \'/-p icmp/s/^/#/\' /etc/sysconfig/iptables\n```\n\n```\nservice iptables restart\n```\n\nPing again from **Machine 2**: the REJECT rule answers with *Destination Host Prohibited*.',
    },
  ],
};

export const defaultCatalog: LabCatalog = staticCatalog([singleServerLab]);
