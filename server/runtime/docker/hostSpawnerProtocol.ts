/** Messages between the server and its host spawner (an IPC channel). */
import type { ExecResult } from '../LabRuntime';

export type SpawnRequest =
  | { type: 'run'; id: number; pid: number; command: string[]; timeoutMs?: number; stdin?: string; stream?: boolean }
  | { type: 'read'; id: number; root: string; path: string }
  | { type: 'cancel'; id: number };

/** Why a request failed, kept across the channel (errors do not survive it as classes). */
export type SpawnFailure = 'unavailable' | 'too-large' | 'other';

export type SpawnReply =
  /** Output of a streamed run as it arrives (a monitor); its result follows when it ends. */
  | { type: 'stdout'; id: number; chunk: Uint8Array }
  | { type: 'result'; id: number; result: ExecResult }
  | { type: 'file'; id: number; file?: { data: Uint8Array; mode: number; modifiedAt: number } }
  | { type: 'error'; id: number; message: string; failure: SpawnFailure; limitBytes?: number };
