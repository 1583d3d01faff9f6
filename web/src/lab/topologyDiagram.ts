import type { SessionView } from '../api';

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 420;
const BUS_Y = 92;

/**
 * A small diagram of the session's networks (side by side, as buses) and machines (above them),
 * labelled with the addresses this lab actually got.
 */
export function topologyDiagram(session: SessionView): SVGSVGElement {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} 124`);
  svg.setAttribute('class', 'topology');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Lab network diagram');
  const span = WIDTH / Math.max(1, session.networks.length);
  const busCenter = new Map<string, number>();
  session.networks.forEach((net, i) => {
    const x0 = i * span + 8;
    const x1 = (i + 1) * span - 8;
    busCenter.set(net.id, (x0 + x1) / 2);
    add(svg, 'line', { x1: x0, y1: BUS_Y, x2: x1, y2: BUS_Y, class: 'bus' });
    add(svg, 'text', { x: (x0 + x1) / 2, y: BUS_Y + 18, class: 'net-label' }, `${net.label} ${net.subnet}`);
  });

  for (const machine of session.machines) {
    const nets = Object.keys(machine.addresses);
    const centers = nets.map((id) => busCenter.get(id) ?? WIDTH / 2);
    const singles = session.machines.filter(
      (m) => Object.keys(m.addresses).length === 1 && m.addresses[nets[0] ?? ''] !== undefined,
    );
    // Dual-homed machines sit between their networks; single-homed ones over their own bus.
    const x =
      centers.length > 1
        ? avg(centers)
        : (centers[0] ?? 0) - (singles.length > 1 ? 40 : 0) + singles.indexOf(machine) * 80;
    add(svg, 'rect', { x: x - 42, y: 6, width: 84, height: 26, rx: 5, class: 'machine' });
    add(svg, 'text', { x, y: 23, class: 'machine-label' }, machine.label);
    nets.forEach((netId, i) => {
      const busX = nets.length > 1 ? (busCenter.get(netId) ?? x) + (i === 0 ? span / 2 - 30 : -(span / 2 - 30)) : x;
      add(svg, 'line', { x1: x, y1: 32, x2: busX, y2: BUS_Y, class: 'link' });
      const address = machine.addresses[netId] ?? '';
      const anchor = nets.length > 1 ? (i === 0 ? 'end' : 'start') : 'middle';
      // Dual-homed: each address sits by the foot of its own link, pointing away from the other.
      const tx = nets.length > 1 ? busX + (i === 0 ? -6 : 6) : x;
      add(svg, 'text', { x: tx, y: nets.length > 1 ? 84 : 60, class: 'address', 'text-anchor': anchor }, address);
    });
  }
  return svg;
}

function avg(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function add(parent: SVGElement, tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  parent.append(node);
  return node;
}
