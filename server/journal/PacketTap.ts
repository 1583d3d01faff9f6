/**
 * One host-side packet collector for every lab of this server: an nftables `bridge` table whose
 * forward chain logs the packets of interest entering from the lab machines' bridge ports to an
 * NFLOG group, and one `tcpdump` reading that group. Nothing runs per lab; the kernel rate-limits
 * each port (a flood from one machine cannot drown the others), and only this server's ports are
 * in the set, so two servers on one host never see each other's labs.
 */
import { errorMessage } from '../log/errorMessage';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostCommand } from '../runtime/docker/hostCommand';
import { NflogPcapReader, type TappedPacket } from './nflogPcap';
import { OwnedNft } from './ownedNft';
import type { Log } from '../log/Log';

/** Per bridge port: a scan of 1000 ports (about 3000 packets) fits in the burst. */
export const PORT_RATE = { perSecond: 2000, burst: 6000 };
const IFNAME = /^[A-Za-z0-9_.@-]{1,15}$/;

export interface PacketTapOptions {
  namespace: string;
  log: Log;
}

export function tapNames(namespace: string): { table: string; group: number } {
  const h = createHash('sha256').update(namespace).digest().readUInt16BE(0);
  return { table: `iptables_journal_${h.toString(16)}`, group: 2000 + (h % 60000) };
}

export class PacketTap {
  private readonly table: string;
  private readonly group: number;
  private child: ChildProcess | undefined;
  private nft: OwnedNft | undefined;
  private closed = false;

  constructor(private readonly options: PacketTapOptions) {
    ({ table: this.table, group: this.group } = tapNames(options.namespace));
  }

  /** Sets up the table and starts tcpdump; rejects when the host cannot (no nft, no tcpdump, not root). */
  async start(onPacket: (packet: TappedPacket) => void): Promise<void> {
    this.endOldTap();
    const t = `bridge ${this.table}`;
    // A table of this name left by a server from before tables were owned.
    await hostCommand('nft', ['delete', 'table', 'bridge', this.table]).catch(() => undefined);
    // queue-threshold 1: each packet reaches us at once, so its time is when it crossed, not a batch's.
    const log = `log group ${this.group} snaplen 128 queue-threshold 1`;
    const limit = `update @rate { iifname limit rate ${PORT_RATE.perSecond}/second burst ${PORT_RATE.burst} packets }`;
    const nft = new OwnedNft();
    this.nft = nft;
    await nft
      .run([
        `add table ${t} { flags owner; }`,
        `add set ${t} ports { type ifname; }`,
        `add set ${t} rate { type ifname; size 65535; flags dynamic,timeout; timeout 1m; }`,
        `add chain ${t} forward { type filter hook forward priority -300; policy accept; }`,
        `add rule ${t} forward iifname != @ports return`,
        `add rule ${t} forward ether type ip icmp type { echo-request, echo-reply, destination-unreachable, time-exceeded } ${limit} ${log}`,
        `add rule ${t} forward ether type ip tcp flags & (syn | rst) != 0 ${limit} ${log}`,
      ])
      .catch((error: unknown) => {
        nft.close();
        throw error;
      });
    const reader = new NflogPcapReader(onPacket);
    // It dies with the server, however the server dies: the kernel sends it SIGKILL (setpriv's
    // parent-death signal, which survives exec; `-Z root` keeps tcpdump from changing user, which
    // would clear it).
    const tcpdump = [
      'tcpdump',
      '-Z',
      'root',
      '-i',
      `nflog:${this.group}`,
      '-B',
      '16384',
      '-U',
      '-w',
      '-',
      '--immediate-mode',
    ];
    const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', ...tcpdump], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.stderr.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`tcpdump exited (${code ?? 'signal'})`)));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (error) {
        this.options.log(`journal: packet tap stopped: ${errorMessage(error)}`);
        child.kill();
      }
    });
    child.on('exit', () => {
      if (!this.closed) this.options.log('journal: tcpdump ended; packets are no longer recorded');
    });
  }

  /** Starts logging packets that enter by these host interfaces (the machines' bridge ports). */
  async watch(ports: readonly string[]): Promise<void> {
    const good = ports.filter((p) => IFNAME.test(p));
    if (good.length === 0) return;
    await this.owner().run([`add element bridge ${this.table} ports { ${good.map((p) => `"${p}"`).join(', ')} }`]);
  }

  async unwatch(ports: readonly string[]): Promise<void> {
    // Each element on its own line: one already gone must not keep the others.
    const lines = ports
      .filter((p) => IFNAME.test(p))
      .map((p) => `delete element bridge ${this.table} ports { "${p}" }`);
    if (lines.length > 0)
      await this.owner()
        .run(lines)
        .catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.child?.kill();
    // The kernel deletes the owned table as this process ends.
    this.nft?.close();
  }

  private owner(): OwnedNft {
    if (!this.nft) throw new Error('the packet tap has not started');
    return this.nft;
  }

  /**
   * A tcpdump still reading this server's NFLOG group (left by a server from before taps died
   * with their server) would keep the new one from binding the group: ended first.
   */
  private endOldTap(): void {
    const group = `nflog:${this.group}`;
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        if (argv.some((a) => a.endsWith('tcpdump')) && argv.includes(group)) process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Ended meanwhile, or not ours to end.
      }
    }
  }
}
