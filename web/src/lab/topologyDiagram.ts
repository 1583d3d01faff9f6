import type { SessionView } from '../api';

const NS = 'http://www.w3.org/2000/svg';
const WIDTH = 420;
const BOX_W = 96;
const BOX_Y = 6;
const BOX_H = 24;
const LINE_H = 13;
const BUS_Y = 100;

/**
 * A small diagram of the session's networks (side by side, as buses) and machines (above them),
 * labelled with the addresses this lab actually got. Each address sits on its own line under its
 * machine, and the links start below the addresses, so no line crosses any text. Screen readers
 * get the same facts as a list.
 */
export function topologyDiagram(session: SessionView): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'topology-figure';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} 128`);
  svg.setAttribute('class', 'topology');
  svg.setAttribute('aria-hidden', 'true');
  const span = WIDTH / Math.max(1, session.networks.length);
  const busCenter = new Map<string, number>();
  session.networks.forEach((net, i) => {
    const x0 = i * span + 8;
    const x1 = (i + 1) * span - 8;
    busCenter.set(net.id, (x0 + x1) / 2);
    add(svg, 'line', { x1: x0, y1: BUS_Y, x2: x1, y2: BUS_Y, class: 'bus' });
    add(svg, 'text', { x: (x0 + x1) / 2, y: BUS_Y + 18, class: 'net-label' }, `${net.label} ${net.subnet}`);
  });

  // Machines left to right in the order of their networks, evenly spaced.
  const machines = [...session.machines].sort((a, b) => firstNet(a, busCenter) - firstNet(b, busCenter));
  const step = WIDTH / Math.max(1, machines.length);
  machines.forEach((machine, i) => {
    const x = step * i + step / 2;
    add(svg, 'rect', { x: x - BOX_W / 2, y: BOX_Y, width: BOX_W, height: BOX_H, rx: 5, class: 'machine' });
    add(svg, 'text', { x, y: BOX_Y + 16, class: 'machine-label' }, machine.label);
    const nets = Object.keys(machine.addresses);
    nets.forEach((netId, n) => {
      add(svg, 'text', { x, y: BOX_Y + BOX_H + 12 + n * LINE_H, class: 'address' }, machine.addresses[netId] ?? '');
    });
    const linkTop = BOX_Y + BOX_H + 4 + nets.length * LINE_H;
    nets.forEach((netId) => {
      const center = busCenter.get(netId) ?? x;
      // Land on the machine's own bus, as close to straight down as the bus allows.
      const foot = Math.min(Math.max(x, center - span / 2 + 16), center + span / 2 - 16);
      add(svg, 'line', { x1: x, y1: linkTop, x2: foot, y2: BUS_Y, class: 'link' });
    });
  });

  const text = document.createElement('ul');
  text.className = 'visually-hidden topology-text';
  text.setAttribute('aria-label', 'Lab network');
  for (const net of session.networks) text.append(item(`Network ${net.label}: ${net.subnet}`));
  for (const machine of session.machines) {
    const where = session.networks
      .filter((n) => machine.addresses[n.id])
      .map((n) => `${machine.addresses[n.id] ?? ''} on ${n.label}`)
      .join(', ');
    text.append(item(`${machine.label}: ${where}`));
  }
  figure.append(svg, text);
  return figure;
}

function firstNet(machine: SessionView['machines'][number], busCenter: Map<string, number>): number {
  const centers = Object.keys(machine.addresses).map((id) => busCenter.get(id) ?? 0);
  return centers.reduce((a, b) => a + b, 0) / Math.max(1, centers.length);
}

function item(text: string): HTMLLIElement {
  const li = document.createElement('li');
  li.textContent = text;
  return li;
}

function add(parent: SVGElement, tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  parent.append(node);
  return node;
}
