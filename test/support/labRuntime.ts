import { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import type { ExecResult, LabDeployment } from '../../server/runtime/LabRuntime';
import { runtimeConfigFor } from './runtimeConfig';
import { testNamespace } from './testNamespace';

/** A runtime namespaced to one test file, so tests never touch anyone else's labs. */
export function testRuntime(
  name: string,
  env: Record<string, string> = {},
): { runtime: DockerRuntime; namespace: string } {
  const namespace = testNamespace(`t${name.toLowerCase().replace(/[^a-z0-9]/g, '')}`);
  // No spare networks unless a test asks: a test's runtime is never closed like a server's.
  const config = runtimeConfigFor(namespace, { LAB_SPARE_NETWORKS: process.env.LAB_SPARE_NETWORKS ?? '0', ...env });
  return { runtime: DockerRuntime.fromConfig(config), namespace };
}

let counter = 0;
export function newSessionId(): string {
  counter += 1;
  return `s${process.pid.toString(36)}${Date.now().toString(36)}${counter}`;
}

export function sh(
  runtime: DockerRuntime,
  deployment: LabDeployment,
  machine: string,
  script: string,
  timeoutMs = 120_000,
): Promise<ExecResult> {
  return runtime.exec(deployment, machine, ['bash', '-c', script], { timeoutMs });
}

export function address(deployment: LabDeployment, machine: string, network: string): string {
  const found = deployment.machines.find((m) => m.id === machine)?.addresses[network];
  if (!found) throw new Error(`${machine} has no address on ${network}`);
  return found;
}

/** Ports nmap reports as open, from its normal output. */
export function openPorts(nmapOutput: string): number[] {
  return [...nmapOutput.matchAll(/^(\d+)\/tcp\s+open\b/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
}
