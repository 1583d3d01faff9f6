import type Docker from 'dockerode';

/** Printed by each image's boot script once its firewall and services are up. */
export const READY_MARKER = 'iptables-lab: ready';

function countMarkers(text: string): number {
  return text.split(READY_MARKER).length - 1;
}

/** How many times the container has finished booting so far. */
export async function bootCount(container: Docker.Container): Promise<number> {
  const log = await container.logs({ follow: false, stdout: true, stderr: true });
  return countMarkers(log.toString('latin1'));
}

/**
 * Resolves when the container's log shows more ready markers than `previousBoots`.
 * Following the log costs one request, where polling with exec costs several per probe and
 * competes for CPU with the very boot it waits for.
 */
export async function waitForBoot(
  container: Docker.Container,
  previousBoots: number,
  timeoutMs: number,
): Promise<void> {
  const stream = (await container.logs({ follow: true, stdout: true, stderr: true })) as NodeJS.ReadableStream & {
    destroy(): void;
  };
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    let boots = 0;
    const timer = setTimeout(() => finish(new Error('machine did not finish booting in time')), timeoutMs);
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      stream.removeAllListeners('data');
      stream.destroy();
      if (error) reject(error);
      else resolve();
    };
    stream.on('data', (chunk: Buffer) => {
      // Frames carry 8-byte binary headers; the marker text survives them, so search the raw text.
      seen += chunk.toString('latin1');
      boots += countMarkers(seen);
      // Keep a tail in case a marker is split across chunks.
      seen = seen.split(READY_MARKER).pop()?.slice(-READY_MARKER.length) ?? '';
      if (boots > previousBoots) finish();
    });
    stream.on('end', () => finish(new Error('machine stopped while booting')));
    stream.on('error', (error: Error) => finish(error));
  });
}

/** waitForBoot for a lab machine: an error names the machine. */
export async function waitForMachine(
  docker: Docker,
  machine: { id: string; ref: string },
  previousBoots: number,
  timeoutMs: number,
): Promise<void> {
  try {
    await waitForBoot(docker.getContainer(machine.ref), previousBoots, timeoutMs);
  } catch (error) {
    throw new Error(`${machine.id}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
