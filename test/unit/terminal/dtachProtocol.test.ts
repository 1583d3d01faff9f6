import { describe, expect, it } from 'vitest';
import {
  attachPackets,
  MSG,
  PACKET_BYTES,
  PACKETS_PER_WRITE,
  pushPackets,
  REDRAW,
  winchPacket,
} from '../../../server/runtime/docker/dtachProtocol';

/** Splits a byte stream back into dtach packets, as the master's read() of 10 bytes would. */
function packets(buf: Buffer): { type: number; len: number; payload: Buffer }[] {
  expect(buf.length % PACKET_BYTES).toBe(0);
  const out = [];
  for (let at = 0; at < buf.length; at += PACKET_BYTES) {
    out.push({ type: buf[at] as number, len: buf[at + 1] as number, payload: buf.subarray(at + 2, at + PACKET_BYTES) });
  }
  return out;
}

describe('dtach client protocol', () => {
  it('attaches, then asks for a SIGWINCH redraw carrying the window size (rows first)', () => {
    const [attach, redraw] = packets(attachPackets({ cols: 132, rows: 43 }));
    expect(attach).toMatchObject({ type: MSG.attach, len: 0 });
    expect(redraw).toMatchObject({ type: MSG.redraw, len: REDRAW.winch });
    expect(redraw?.payload.readUInt16LE(0)).toBe(43);
    expect(redraw?.payload.readUInt16LE(2)).toBe(132);
  });

  it('sends a resize as a winch packet without a redraw', () => {
    const [winch] = packets(winchPacket({ cols: 80, rows: 24 }));
    expect(winch?.type).toBe(MSG.winch);
    expect(winch?.payload.readUInt16LE(0)).toBe(24);
    expect(winch?.payload.readUInt16LE(2)).toBe(80);
  });

  it('carries input 8 bytes per push packet and loses nothing, multi-byte characters included', () => {
    const input = Buffer.from('ls -la /etc/sysconfig # café ✓\r');
    const sent = pushPackets(input).flatMap(packets);
    expect(sent.every((p) => p.type === MSG.push && p.len >= 1 && p.len <= 8)).toBe(true);
    expect(Buffer.concat(sent.map((p) => p.payload.subarray(0, p.len)))).toEqual(input);
  });

  it('groups a large paste into writes of whole packets, none bigger than the atomic size', () => {
    const paste = Buffer.alloc(64 * 1024, 'a');
    const writes = pushPackets(paste);
    expect(writes.length).toBe(Math.ceil(paste.length / (PACKETS_PER_WRITE * 8)));
    for (const w of writes) {
      expect(w.length % PACKET_BYTES).toBe(0);
      expect(w.length).toBeLessThanOrEqual(PACKETS_PER_WRITE * PACKET_BYTES);
    }
    const total = writes.flatMap(packets).reduce((n, p) => n + p.len, 0);
    expect(total).toBe(paste.length);
  });

  it('sends nothing for empty input', () => {
    expect(pushPackets(Buffer.alloc(0))).toEqual([]);
  });
});
