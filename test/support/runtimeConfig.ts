import { loadConfig, type RuntimeConfig } from '../../server/config';

/**
 * The runtime settings this machine's environment gives, under a namespace (LAB_INSTANCE) of the
 * caller's own, so a test's Docker objects never meet anybody else's. `env` adds or overrides
 * variables, e.g. a pool of slots no other suite uses. No spare disks unless a test asks: a test's
 * runtime is never closed like a server's, which removes them.
 */
export function runtimeConfigFor(namespace: string, env: Record<string, string | undefined> = {}): RuntimeConfig {
  return loadConfig({ LAB_SPARE_DISKS: '0', ...process.env, ...env, LAB_INSTANCE: namespace }).runtime;
}
