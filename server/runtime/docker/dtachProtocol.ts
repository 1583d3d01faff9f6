import type { TerminalSize } from '../LabRuntime';

/**
 * dtach's client-to-master protocol (dtach.h): fixed 10-byte packets of
 * { type: u8, len: u8, payload: 8 bytes }, where the payload is either up to 8 bytes of
 * keyboard input or a `struct winsize` (rows, cols, xpixel, ypixel as native u16).
 * The master reads exactly one packet per read(), so packets must never be split.
 * The master sends raw pty output back, no framing.
 */
export const PACKET_BYTES = 10;
const PAYLOAD_BYTES = 8;

export const MSG = { push: 0, attach: 1, detach: 2, winch: 3, redraw: 4 } as const;
/** Redraw methods carried in `len` of a redraw packet. */
export const REDRAW = { unspecified: 0, none: 1, ctrlL: 2, winch: 3 } as const;

/**
 * Packets per write: small enough that the kernel queues each write as one unit on a unix
 * stream socket (the master can then never read half a packet), big enough for speed.
 */
export const PACKETS_PER_WRITE = 400;

function packet(type: number, len: number, payload?: Buffer): Buffer {
  const buf = Buffer.alloc(PACKET_BYTES);
  buf[0] = type;
  buf[1] = len;
  payload?.copy(buf, 2, 0, PAYLOAD_BYTES);
  return buf;
}

function winsize({ cols, rows }: TerminalSize): Buffer {
  const ws = Buffer.alloc(PAYLOAD_BYTES);
  // Linux on every architecture Docker runs labs on is little-endian.
  ws.writeUInt16LE(rows, 0);
  ws.writeUInt16LE(cols, 2);
  return ws;
}

/** Attach, then ask for a redraw at this size: the shell gets SIGWINCH and repaints its prompt. */
export function attachPackets(size: TerminalSize): Buffer {
  return Buffer.concat([packet(MSG.attach, 0), packet(MSG.redraw, REDRAW.winch, winsize(size))]);
}

export function winchPacket(size: TerminalSize): Buffer {
  return packet(MSG.winch, 0, winsize(size));
}

/** Keyboard input as push packets, grouped into writes of at most PACKETS_PER_WRITE packets. */
export function pushPackets(data: Buffer): Buffer[] {
  const writes: Buffer[] = [];
  const perWrite = PACKETS_PER_WRITE * PAYLOAD_BYTES;
  for (let start = 0; start < data.length; start += perWrite) {
    const slice = data.subarray(start, Math.min(data.length, start + perWrite));
    const out = Buffer.alloc(Math.ceil(slice.length / PAYLOAD_BYTES) * PACKET_BYTES);
    for (let i = 0, o = 0; i < slice.length; i += PAYLOAD_BYTES, o += PACKET_BYTES) {
      const chunk = slice.subarray(i, i + PAYLOAD_BYTES);
      out[o] = MSG.push;
      out[o + 1] = chunk.length;
      chunk.copy(out, o + 2);
    }
    writes.push(out);
  }
  return writes;
}
