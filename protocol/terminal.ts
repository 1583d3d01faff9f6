/**
 * The terminal wire protocol.
 * One WebSocket per terminal. Every frame is binary: a 1-byte opcode, then the payload.
 */

/** Client -> server opcodes. */
export const ClientOp = {
  /** Payload: raw bytes typed by the learner. */
  INPUT: 0x00,
  /** Payload: JSON {"cols","rows"}. */
  RESIZE: 0x01,
  /** Ask the server to stop sending output (e.g. the tab is busy). No payload. */
  PAUSE: 0x02,
  RESUME: 0x03,
  /** Payload: uint32 big-endian, bytes of OUTPUT the terminal has finished rendering since the last ACK. */
  ACK: 0x04,
  /** Must be the first frame. Payload: JSON {"cols","rows"} (see helloSchema on the server). */
  HELLO: 0x05,
} as const;

/** Server -> client opcodes. */
export const ServerOp = {
  /** Payload: raw terminal output bytes. */
  OUTPUT: 0x10,
  /** Payload: JSON `TerminalReady`; sent once after HELLO, before the scrollback replay. */
  READY: 0x11,
  /** Payload: UTF-8 message about a rejected (but non-fatal) client frame. */
  ERROR: 0x12,
} as const;

// Why a terminal closed: the wire carries it as the close code.
export { CloseCode, shouldReconnect } from './closeCodes';

/** The READY frame's payload: which machine the terminal is on, and how much scrollback follows. */
export interface TerminalReady {
  machineId: string;
  label: string;
  /** Network id -> the machine's address on it. */
  addresses: Record<string, string>;
  scrollbackBytes: number;
}

/** Limits both sides agree on. */
export const Limits = {
  /** Largest frame the server accepts; bigger ones close the socket with 1009. */
  maxClientFrameBytes: 64 * 1024,
  /** The client splits pastes into frames of at most this many bytes. */
  inputChunkBytes: 16 * 1024,
  minCols: 2,
  maxCols: 1000,
  minRows: 1,
  maxRows: 500,
  /** Flow control (below the 500 KB the xterm.js guide allows; lower keeps Ctrl+C snappy): the server stops reading the shell above `highWater` unacknowledged bytes... */
  highWater: 128 * 1024,
  /** ...and resumes below `lowWater`. */
  lowWater: 32 * 1024,
  /** The client acknowledges in steps of this many rendered bytes. */
  ackStepBytes: 8 * 1024,
} as const;

export function frame(opcode: number, payload?: Uint8Array | string): Uint8Array {
  const body = typeof payload === 'string' ? new TextEncoder().encode(payload) : (payload ?? new Uint8Array(0));
  const out = new Uint8Array(body.length + 1);
  out[0] = opcode;
  out.set(body, 1);
  return out;
}

export function ackFrame(bytes: number): Uint8Array {
  const out = new Uint8Array(5);
  out[0] = ClientOp.ACK;
  new DataView(out.buffer).setUint32(1, bytes >>> 0, false);
  return out;
}

/** Path of a terminal's WebSocket, relative to the server origin. */
export function terminalPath(sessionId: string, machineId: string): string {
  return `/ws/sessions/${encodeURIComponent(sessionId)}/terminals/${encodeURIComponent(machineId)}`;
}
