import type Docker from 'dockerode';
import { LABEL, resourceName } from './labels';

/** Where a machine's shell socket lives, inside the container. */
export const SHELL_DIR = '/run/iptables-lab';
export const SHELL_SOCKET = `${SHELL_DIR}/shell.sock`;
/** Labs created before the shell directory existed keep their shell here. */
export const LEGACY_SHELL_SOCKET = '/run/iptables-lab-shell.sock';

export function terminalVolumeName(namespace: string, session: string, machineId: string): string {
  return resourceName(namespace, session, `${machineId}-tty`);
}

/**
 * A tiny per-machine tmpfs for the shell's dtach socket, which the server reaches from the
 * host side (Docker mounts it under its volumes directory). tmpfs because it must not outlive
 * a reboot (a stale socket would refuse connections) and so nothing a learner puts there can
 * fill the host's disk or run setuid from it.
 */
export function terminalMount(namespace: string, session: string, machineId: string): Docker.MountSettings {
  return {
    Type: 'volume',
    Source: terminalVolumeName(namespace, session, machineId),
    Target: SHELL_DIR,
    VolumeOptions: {
      NoCopy: true,
      Labels: { [LABEL.namespace]: namespace, [LABEL.session]: session, [LABEL.machine]: machineId },
      DriverConfig: {
        Name: 'local',
        Options: { type: 'tmpfs', device: 'tmpfs', o: 'size=1m,mode=0700,nosuid,nodev,noexec' },
      },
    },
  };
}

/**
 * The shell socket's path as the host sees it, or undefined when this machine has no shell
 * volume (a lab from an older server). Other Docker errors propagate: guessing would start a
 * second shell.
 */
export async function hostShellSocket(docker: Docker, volumeName: string): Promise<string | undefined> {
  try {
    const info = await docker.getVolume(volumeName).inspect();
    return info.Mountpoint ? `${info.Mountpoint}/shell.sock` : undefined;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}
