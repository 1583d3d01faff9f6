/**
 * Packets from the one tap to the lab sessions they belong to: each machine's bridge ports (the
 * host ends of its veths) name the session and the machine a packet entered by, and each session
 * keeps at most PACKETS_PER_SECOND in user space (a note says how many were dropped).
 */
import { errorMessage } from '../log/errorMessage';
import type { JournalEvent } from '../../labkit/journal';
import type { LabDeployment, LabRuntime } from '../runtime/LabRuntime';
import { machinePorts } from './hostReads';
import type { PacketTap } from './PacketTap';
import type { TappedPacket } from './nflogPcap';
import type { Log } from '../log/Log';

/** Packets per lab session per second kept in user space, beyond the kernel's per-port limit. */
const PACKETS_PER_SECOND = 3_000;

interface Ports {
  deployment: LabDeployment;
  byIndex: Map<number, string>;
  names: string[];
  window: { second: number; count: number; dropped: number };
}

export interface PacketIntakeOptions {
  runtime: LabRuntime;
  tap: PacketTap | undefined;
  record: (sessionId: string, event: JournalEvent) => void;
  /** A packet was kept for a session (the lab is active); `machineId` sent an ICMP error. */
  kept: (sessionId: string, icmpErrorFrom: string | undefined) => void;
  log: Log;
}

export class PacketIntake {
  private readonly sessions = new Map<string, Ports>();
  private readonly byPort = new Map<number, { sessionId: string; machineId: string }>();
  private unknownPortLookup = 0;

  constructor(private readonly o: PacketIntakeOptions) {}

  /** Learns a session's bridge ports and has the tap watch them. */
  async follow(sessionId: string, deployment: LabDeployment): Promise<void> {
    const p: Ports = { deployment, byIndex: new Map(), names: [], window: { second: 0, count: 0, dropped: 0 } };
    this.sessions.set(sessionId, p);
    await this.mapPorts(sessionId, p);
  }

  async forget(sessionId: string): Promise<void> {
    const p = this.sessions.get(sessionId);
    if (!p) return;
    this.sessions.delete(sessionId);
    for (const ifindex of p.byIndex.keys()) this.byPort.delete(ifindex);
    await this.o.tap?.unwatch(p.names);
  }

  private async mapPorts(sessionId: string, p: Ports): Promise<void> {
    if (!this.o.tap) return;
    try {
      const ports = await machinePorts(this.o.runtime, p.deployment);
      if (this.sessions.get(sessionId) !== p) return;
      for (const port of ports) {
        p.byIndex.set(port.ifindex, port.machineId);
        this.byPort.set(port.ifindex, { sessionId, machineId: port.machineId });
      }
      p.names = ports.map((port) => port.name);
      await this.o.tap.watch(p.names);
    } catch (error) {
      this.o.log(`journal: bridge ports of ${sessionId} unknown: ${errorMessage(error)}`);
    }
  }

  onPacket(packet: TappedPacket): void {
    const owner = this.byPort.get(packet.port);
    if (!owner) {
      // A port we did not know yet (a machine restarted): look again, at most once a second.
      if (Date.now() - this.unknownPortLookup > 1_000) {
        this.unknownPortLookup = Date.now();
        for (const [id, p] of this.sessions) if (p.byIndex.size === 0) void this.mapPorts(id, p);
      }
      return;
    }
    const p = this.sessions.get(owner.sessionId);
    if (!p) return;
    const second = Math.floor(packet.at / 1000);
    const w = p.window;
    if (w.second !== second) {
      if (w.dropped > 0)
        this.o.record(owner.sessionId, {
          kind: 'note',
          at: packet.at,
          text: `${w.dropped} packets not recorded (over ${PACKETS_PER_SECOND}/s)`,
        });
      p.window = { second, count: 0, dropped: 0 };
    }
    if (++p.window.count > PACKETS_PER_SECOND) {
      p.window.dropped++;
      return;
    }
    const { port: _port, ...rest } = packet;
    this.o.record(owner.sessionId, { kind: 'packet', from: owner.machineId, ...rest });
    // An ICMP error says the sender's firewall may have just changed.
    this.o.kept(owner.sessionId, packet.icmp?.type === 3 ? owner.machineId : undefined);
  }
}
