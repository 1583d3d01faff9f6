import { HostAccessUnavailable, type HostNetnsCapability, type LabRuntime } from './LabRuntime';

const NO_HOST_ACCESS: HostNetnsCapability = {
  netnsExec: () =>
    Promise.reject(new HostAccessUnavailable("this lab platform runs no host programs in a machine's namespaces")),
};

/**
 * Trusted host programs in a machine's namespaces. A runtime without them answers as a Docker
 * host out of reach does, with HostAccessUnavailable, so every caller's fallback (the machine's
 * own, untrusted, programs) applies unchanged.
 */
export function hostNetns(runtime: LabRuntime): HostNetnsCapability {
  return runtime.capabilities.hostNetns ?? NO_HOST_ACCESS;
}
