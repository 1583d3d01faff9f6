/**
 * Reads the pcap stream `tcpdump -i nflog:N -w -` writes (link type NFLOG) into the packets the
 * journal keeps. Each record carries the bridge port the packet entered by (an interface index
 * of the host, which nothing inside a machine can change) and the IPv4 packet itself.
 */
import { PROBE_PATTERN, type JournalInner, type JournalPacket, type TcpFlags } from '../../labkit/journal';

const PROBE = Buffer.from(PROBE_PATTERN, 'hex');

const LINKTYPE_NFLOG = 239;
const NFULA_TIMESTAMP = 3;
const NFULA_IFINDEX_INDEV = 4;
const NFULA_IFINDEX_PHYSINDEV = 6;
const NFULA_PAYLOAD = 9;

/** A packet as the tap saw it; the journal names the machine from `port`. */
export type TappedPacket = Omit<JournalPacket, 'from' | 'kind'> & { port: number };

const ip4 = (b: Buffer, at: number): string => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;

function tcpFlags(flags: number): TcpFlags | undefined {
  const syn = (flags & 0x02) !== 0;
  const rst = (flags & 0x04) !== 0;
  const ack = (flags & 0x10) !== 0;
  if (rst) return ack ? 'RST-ACK' : 'RST';
  if (syn) return ack ? 'SYN-ACK' : 'SYN';
  return undefined;
}

/** The quoted header of an ICMP error: enough to name the probe it answers. */
function innerPacket(b: Buffer, at: number): JournalInner | undefined {
  if (b.length < at + 20 || b.readUInt8(at) >> 4 !== 4) return undefined;
  const ihl = (b.readUInt8(at) & 0x0f) * 4;
  const p = b[at + 9];
  const l4 = at + ihl;
  const inner: JournalInner = { src: ip4(b, at + 12), dst: ip4(b, at + 16), proto: 'other' };
  if (b.length < l4 + 8) return inner;
  if (p === 1) return { ...inner, proto: 'icmp', id: b.readUInt16BE(l4 + 4), seq: b.readUInt16BE(l4 + 6) };
  if (p === 6 || p === 17)
    return { ...inner, proto: p === 6 ? 'tcp' : 'udp', sport: b.readUInt16BE(l4), dport: b.readUInt16BE(l4 + 2) };
  return inner;
}

/** An IPv4 packet of interest, or undefined. */
export function parseIpv4(b: Buffer): Omit<TappedPacket, 'port' | 'at'> | undefined {
  if (b.length < 20 || b.readUInt8(0) >> 4 !== 4) return undefined;
  const ihl = (b.readUInt8(0) & 0x0f) * 4;
  const proto = b[9];
  const src = ip4(b, 12);
  const dst = ip4(b, 16);
  const l4 = ihl;
  if (proto === 1 && b.length >= l4 + 8) {
    const type = b.readUInt8(l4);
    const code = b.readUInt8(l4 + 1);
    if (type === 0 || type === 8) {
      const icmp = { type, code, id: b.readUInt16BE(l4 + 4), seq: b.readUInt16BE(l4 + 6) };
      return { src, dst, proto: 'icmp', icmp: b.subarray(l4 + 8).includes(PROBE) ? { ...icmp, probe: true } : icmp };
    }
    return { src, dst, proto: 'icmp', icmp: { type, code, inner: innerPacket(b, l4 + 8) } };
  }
  if (proto === 6 && b.length >= l4 + 14) {
    const flags = tcpFlags(b.readUInt8(l4 + 13));
    if (!flags) return undefined;
    return { src, dst, proto: 'tcp', tcp: { sport: b.readUInt16BE(l4), dport: b.readUInt16BE(l4 + 2), flags } };
  }
  return undefined;
}

/** One NFLOG record: its TLVs (length and type in host order, values padded to 4 bytes). */
export function parseNflog(record: Buffer): { port: number; payload: Buffer; at?: number } | undefined {
  let at = 4;
  let stamp: number | undefined;
  let indev = 0;
  let physindev = 0;
  let payload: Buffer | undefined;
  while (at + 4 <= record.length) {
    const length = record.readUInt16LE(at);
    const type = record.readUInt16LE(at + 2) & 0x3fff;
    if (length < 4 || at + length > record.length) break;
    const value = record.subarray(at + 4, at + length);
    if (type === NFULA_IFINDEX_INDEV && value.length >= 4) indev = value.readUInt32BE(0);
    if (type === NFULA_IFINDEX_PHYSINDEV && value.length >= 4) physindev = value.readUInt32BE(0);
    if (type === NFULA_PAYLOAD) payload = value;
    // The kernel's own time of the packet (seconds and microseconds, big-endian), when it has one.
    if (type === NFULA_TIMESTAMP && value.length >= 16)
      stamp = Number(value.readBigUInt64BE(0)) * 1000 + Math.floor(Number(value.readBigUInt64BE(8)) / 1000);
    at += (length + 3) & ~3;
  }
  // In the bridge family the port is PHYSINDEV when br_netfilter is loaded, INDEV otherwise.
  const port = physindev || indev;
  return payload && port ? { port, payload, at: stamp } : undefined;
}

/** Incremental pcap reader: push chunks, get packets. */
export class NflogPcapReader {
  private buffer: Buffer = Buffer.alloc(0);
  private headerRead = false;
  private littleEndian = true;

  constructor(private readonly onPacket: (packet: TappedPacket) => void) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    if (!this.headerRead) {
      if (this.buffer.length < 24) return;
      const magic = this.buffer.readUInt32LE(0);
      this.littleEndian = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
      const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
      const link = this.u32(20);
      if (link !== LINKTYPE_NFLOG) throw new Error(`tcpdump wrote link type ${link}, not NFLOG`);
      this.nano = nano;
      this.headerRead = true;
      this.buffer = this.buffer.subarray(24);
    }
    while (this.buffer.length >= 16) {
      const length = this.u32(8);
      if (this.buffer.length < 16 + length) break;
      const at = this.u32(0) * 1000 + Math.floor(this.u32(4) / (this.nano ? 1_000_000 : 1000));
      const record = this.buffer.subarray(16, 16 + length);
      this.buffer = this.buffer.subarray(16 + length);
      const nflog = parseNflog(record);
      const packet = nflog && parseIpv4(nflog.payload);
      if (nflog && packet) this.onPacket({ ...packet, at: nflog.at ?? at, port: nflog.port });
    }
  }

  private nano = false;

  private u32(at: number): number {
    return this.littleEndian ? this.buffer.readUInt32LE(at) : this.buffer.readUInt32BE(at);
  }
}
