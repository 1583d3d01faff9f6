/** Messages between the server and its host spawner (an IPC channel). */
import type { ExecResult } from '../LabRuntime';

export type SpawnRequest =
  | { type: 'run'; id: number; pid: number; command: string[]; timeoutMs?: number; stdin?: string }
  | { type: 'cancel'; id: number };

export type SpawnReply =
  | { type: 'result'; id: number; result: ExecResult }
  | {
      type: 'error';
      id: number;
      message: string;
      /** The host cannot run it (HostAccessUnavailable). */ unavailable: boolean;
    };
