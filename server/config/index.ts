import path from 'node:path';
import { parseCidr } from '../runtime/addressPool';
import { labsThatFit, spareDisksFor, thisHost, type HostFacts } from '../runtime/hostCapacity';
import { envSchema, knownVariables, type Env } from './envSchema';
import type { Config } from './sections';

export type * from './sections';

export class ConfigError extends Error {}

const MINUTE = 60_000;

/**
 * Untrusted environment -> one typed Config, validated once at start (zod), grouped by the part
 * each setting configures. Every problem is reported at once, each under its variable's name.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, host: HostFacts = thisHost()): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const overrides = subnetOverrides(env, problems);
  if (!parsed.success || problems.length > 0)
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  const e = parsed.data;
  return {
    http: {
      host: e.HOST,
      port: e.PORT,
      trustProxy: e.TRUST_PROXY === 'off' ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
      tls: e.TLS_CERT && e.TLS_KEY ? { certFile: e.TLS_CERT, keyFile: e.TLS_KEY } : undefined,
      allowedOrigins: e.ALLOWED_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    },
    data: { dir: e.DATA_DIR, dbPath: e.DB_PATH ?? `${e.DATA_DIR}/iptables-lab.db` },
    auth: {
      cookieSecret: e.COOKIE_SECRET,
      guests: { access: e.GUEST_ACCESS, perTenMinutes: e.GUEST_SIGNINS_PER_10_MIN },
    },
    runtime: {
      socketPath: e.DOCKER_SOCKET,
      namespace: e.LAB_INSTANCE,
      imagePrefix: e.LAB_IMAGE_PREFIX,
      pool: { overrides, firstSlot: e.LAB_POOL_FIRST, lastSlot: e.LAB_POOL_LAST },
      memoryMb: e.LAB_MEMORY_MB,
      pidsLimit: e.LAB_PIDS_LIMIT,
      cpus: e.LAB_CPUS,
      diskMb: e.LAB_DISK_MB,
      diskDir: path.resolve(e.LAB_DISK_DIR ?? path.join(e.DATA_DIR, 'disks')),
      spareDisks: e.LAB_SPARE_DISKS ?? spareDisksFor(host),
      spareNetworks: e.LAB_SPARE_NETWORKS,
      hostSpawner: e.HOST_SPAWNER === 'true',
    },
    sessions: sessionsConfig(e, host),
    classroom: {
      instructorPassword: e.INSTRUCTOR_PASSWORD,
      stuckAfterMs: e.CLASS_STUCK_MINUTES * MINUTE,
      signInSlowdownMs: e.INSTRUCTOR_SLOWDOWN_MS,
      rosterWarmMs: e.LAB_ROSTER_WARM_MINUTES * MINUTE,
    },
    grading: { checkConcurrency: e.CHECK_CONCURRENCY ?? 0 },
    log: { level: e.LOG_LEVEL },
  };
}

function sessionsConfig(e: Env, host: HostFacts): Config['sessions'] {
  const fit = labsThatFit(host);
  return {
    idleMs: e.LAB_IDLE_MINUTES * MINUTE,
    idleWarningMs: e.LAB_IDLE_WARNING_SECONDS * 1000,
    sleepMs: e.LAB_SLEEP_DAYS * 24 * 60 * MINUTE,
    maxAgeMs: e.LAB_MAX_HOURS * 60 * MINUTE,
    maxAgeWarningMs: e.LAB_MAX_WARNING_MINUTES * MINUTE,
    warmPoolSize: e.LAB_WARM_POOL,
    // Never more labs than the address pool has slots.
    maxLabs: e.LAB_MAX_PER_HOST ?? Math.min(fit.labs, e.LAB_POOL_LAST - e.LAB_POOL_FIRST + 1),
    maxLabsReason:
      e.LAB_MAX_PER_HOST === undefined ? `derived from this host, ${fit.reason}` : 'set by LAB_MAX_PER_HOST',
    startConcurrency: e.LAB_START_CONCURRENCY ?? host.cores,
    keepOnShutdown: e.LAB_KEEP_ON_SHUTDOWN === 'true',
  };
}

/**
 * LAB_<NETWORK>_POOL moves one lab network's subnets, e.g. LAB_LAN_POOL=10.77.{n}.0/24 for every
 * lab network with the id "lan" (LAB_OFFICE_NET_POOL for "office-net"). Labs declare their own
 * templates; these are only for hosts whose own networks clash.
 */
function subnetOverrides(env: NodeJS.ProcessEnv, problems: string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^LAB_([A-Z0-9_]+)_POOL$/.exec(name);
    if (!match?.[1] || knownVariables.has(name) || value === undefined) continue;
    if (!value.includes('{n}') || !isCidr(value.replaceAll('{n}', '1'))) {
      problems.push(`${name}: expected a subnet template with {n}, e.g. 10.1.{n}.0/24`);
      continue;
    }
    overrides[match[1].toLowerCase().replaceAll('_', '-')] = value;
  }
  return overrides;
}

function isCidr(text: string): boolean {
  try {
    parseCidr(text);
    return text.includes('/');
  } catch {
    return false;
  }
}
