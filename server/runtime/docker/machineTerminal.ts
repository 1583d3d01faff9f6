import { errorMessage } from '../../log/errorMessage';
import type Docker from 'dockerode';
import type net from 'node:net';
import type { TerminalSize, TerminalStream } from '../LabRuntime';
import { connectUnixNoFollow, UnsafeSocketError } from './connectUnixNoFollow';
import { dtachSocketTerminal } from './dtachSocketTerminal';
import { openExecTerminal } from './execTerminal';
import { startShell } from './startShell';
import { hostShellSocket, LEGACY_SHELL_SOCKET, SHELL_SOCKET } from './terminalVolume';

/** Connect failures that mean "no live shell there yet", as opposed to "cannot look there". */
function noShellYet(error: unknown): boolean {
  if (error instanceof UnsafeSocketError) return true;
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ECONNREFUSED';
}

async function connectOrStartShell(
  container: Docker.Container,
  socketPath: string,
  hostname: string,
): Promise<net.Socket> {
  try {
    return await connectUnixNoFollow(socketPath);
  } catch (error) {
    if (!noShellYet(error)) throw error;
  }
  await startShell(container, hostname);
  return connectUnixNoFollow(socketPath);
}

/**
 * Opens the machine's learner shell. The fast path talks to the shell's dtach socket from the
 * host; if that is not possible (no shell volume, Docker's volumes out of reach), the same
 * dtach session is shown through `docker exec` instead.
 */
export interface MachineTerminalOptions {
  container: Docker.Container;
  /** The machine's shell volume, where its dtach socket lives. */
  volumeName: string;
  hostname: string;
  size: TerminalSize;
  /** Told why the host-side socket could not be used. */
  onFallback?: (why: string) => void;
  /** Where the volume's socket is on the host (asks Docker unless given). */
  hostSocket?: (volumeName: string) => Promise<string | undefined>;
}

export async function openMachineTerminal(
  docker: Docker,
  {
    container,
    volumeName,
    hostname,
    size,
    onFallback = () => undefined,
    hostSocket = (name) => hostShellSocket(docker, name),
  }: MachineTerminalOptions,
): Promise<TerminalStream> {
  const socketPath = await hostSocket(volumeName);
  // No shell volume: a lab from an older server, whose shell socket is elsewhere.
  if (!socketPath) return openExecTerminal(container, hostname, size, LEGACY_SHELL_SOCKET);
  let socket: net.Socket;
  try {
    socket = await connectOrStartShell(container, socketPath, hostname);
  } catch (error) {
    onFallback(errorMessage(error));
    return openExecTerminal(container, hostname, size, SHELL_SOCKET);
  }
  return dtachSocketTerminal(socket, size);
}
