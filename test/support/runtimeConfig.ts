import { loadConfig, type RuntimeConfig } from '../../server/config';

/**
 * The runtime settings this machine's environment gives, under a namespace (LAB_INSTANCE) of the
 * caller's own, so a test's Docker objects never meet anybody else's. `env` adds or overrides
 * variables, e.g. a pool of slots no other suite uses.
 */
export function runtimeConfigFor(namespace: string, env: Record<string, string | undefined> = {}): RuntimeConfig {
  return loadConfig({ ...process.env, ...env, LAB_INSTANCE: namespace }).runtime;
}
