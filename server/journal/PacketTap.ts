/**
 * One host-side packet collector for every lab of this server: an nftables `bridge` table whose
 * forward chain logs the packets of interest entering from the lab machines' bridge ports to an
 * NFLOG group, and one `tcpdump` reading that group. Nothing runs per lab; the kernel rate-limits
 * each port (a flood from one machine cannot drown the others), and only this server's ports are
 * in the set, so two servers on one host never see each other's labs.
 */
import { errorMessage } from '../log/errorMessage';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostCommand } from '../runtime/docker/hostCommand';
import { NflogPcapReader, type TappedPacket } from './nflogPcap';

/** Per bridge port: a scan of 1000 ports (about 3000 packets) fits in the burst. */
export const PORT_RATE = { perSecond: 2000, burst: 6000 };
const IFNAME = /^[A-Za-z0-9_.@-]{1,15}$/;

export interface PacketTapOptions {
  namespace: string;
  /** Where the tap's process id is kept, so a server killed with -9 finds and ends its old tap. */
  pidFile: string;
  log: (message: string) => void;
}

export function tapNames(namespace: string): { table: string; group: number } {
  const h = createHash('sha256').update(namespace).digest().readUInt16BE(0);
  return { table: `iptables_journal_${h.toString(16)}`, group: 2000 + (h % 60000) };
}

export class PacketTap {
  private readonly table: string;
  private readonly group: number;
  private child: ChildProcess | undefined;
  private closed = false;

  constructor(private readonly options: PacketTapOptions) {
    ({ table: this.table, group: this.group } = tapNames(options.namespace));
  }

  /** Sets up the table and starts tcpdump; rejects when the host cannot (no nft, no tcpdump, not root). */
  async start(onPacket: (packet: TappedPacket) => void): Promise<void> {
    this.endOldTap();
    const t = `bridge ${this.table}`;
    // queue-threshold 1: each packet reaches us at once, so its time is when it crossed, not a batch's.
    const log = `log group ${this.group} snaplen 128 queue-threshold 1`;
    const limit = `update @rate { iifname limit rate ${PORT_RATE.perSecond}/second burst ${PORT_RATE.burst} packets }`;
    await hostCommand(
      'nft',
      ['-f', '-'],
      [
        `add table ${t}`,
        `delete table ${t}`,
        `add table ${t}`,
        `add set ${t} ports { type ifname; }`,
        `add set ${t} rate { type ifname; size 65535; flags dynamic,timeout; timeout 1m; }`,
        `add chain ${t} forward { type filter hook forward priority -300; policy accept; }`,
        `add rule ${t} forward iifname != @ports return`,
        `add rule ${t} forward ether type ip icmp type { echo-request, echo-reply, destination-unreachable, time-exceeded } ${limit} ${log}`,
        `add rule ${t} forward ether type ip tcp flags & (syn | rst) != 0 ${limit} ${log}`,
      ].join('\n'),
    );
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
    if (child.pid) {
      // The data directory's files are private (an existing file keeps its mode on write).
      writeFileSync(this.options.pidFile, String(child.pid), { mode: 0o600 });
      chmodSync(this.options.pidFile, 0o600);
    }
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
    await hostCommand('nft', [
      'add',
      'element',
      'bridge',
      this.table,
      'ports',
      `{ ${good.map((p) => `"${p}"`).join(', ')} }`,
    ]);
  }

  async unwatch(ports: readonly string[]): Promise<void> {
    await Promise.all(
      ports
        .filter((p) => IFNAME.test(p))
        .map((p) =>
          hostCommand('nft', ['delete', 'element', 'bridge', this.table, 'ports', `{ "${p}" }`]).catch(() => undefined),
        ),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.child?.kill();
    rmSync(this.options.pidFile, { force: true });
    await hostCommand('nft', ['delete', 'table', 'bridge', this.table]).catch(() => undefined);
  }

  /** A tap left by a server that died without closing: ended only if it is still our tcpdump. */
  private endOldTap(): void {
    try {
      const pid = Number(readFileSync(this.options.pidFile, 'utf8'));
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(`nflog:${this.group}`)) process.kill(pid);
    } catch {
      // No old tap.
    }
  }
}
