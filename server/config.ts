import { z } from 'zod';
import type { PoolConfig } from './runtime/addressPool';
import { labsThatFit, thisHost, type HostFacts } from './runtime/hostCapacity';

/** Untrusted environment -> one typed Config, validated once at start. */
const envSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Extra origins allowed to open WebSockets, comma-separated. */
  ALLOWED_ORIGINS: z.string().default(''),
  DATA_DIR: z.string().default('./data'),
  DB_PATH: z.string().optional(),
  COOKIE_SECRET: z.string().min(16).optional(),
  INSTRUCTOR_PASSWORD: z.string().min(8).optional(),
  DOCKER_SOCKET: z.string().default('/var/run/docker.sock'),
  /** Namespaces labels and names, so two servers (or test runs) never touch each other's labs. */
  LAB_INSTANCE: z.string().regex(/^[a-z0-9][a-z0-9-]{0,20}$/).default('main'),
  LAB_IMAGE_PREFIX: z.string().default('iptables-lab'),
  LAB_LAN_POOL: z.string().includes('{n}').default('10.1.{n}.0/24'),
  LAB_OFFICE_POOL: z.string().includes('{n}').default('172.16.{n}.0/24'),
  LAB_POOL_FIRST: z.coerce.number().int().min(0).max(255).default(1),
  LAB_POOL_LAST: z.coerce.number().int().min(0).max(255).default(200),
  LAB_MEMORY_MB: z.coerce.number().int().min(64).default(256),
  LAB_PIDS_LIMIT: z.coerce.number().int().min(32).default(256),
  // A ceiling, not a reservation: under contention machines share the host's cores fairly
  // anyway. One core lets a terminal flood (and nmap) run at full speed; half a core halved it.
  LAB_CPUS: z.coerce.number().positive().max(64).default(1),
  LAB_IDLE_MINUTES: z.coerce.number().positive().default(30),
  /** Idle labs sleep (machines stopped, files kept) and are removed after this many days asleep. */
  LAB_SLEEP_DAYS: z.coerce.number().positive().default(7),
  /** Unset: derived from the host's cores and memory (runtime/hostCapacity.ts). */
  LAB_MAX_PER_HOST: z.coerce.number().int().positive().optional(),
  /** Labs kept ready ahead of time so "Start lab" is instant. */
  LAB_WARM_POOL: z.coerce.number().int().min(0).max(10).default(1),
  /** A deliberate stop (SIGTERM/SIGINT) leaves learners' labs running for the next start to take back. */
  LAB_KEEP_ON_SHUTDOWN: z.enum(['true', 'false']).default('true'),
  /** How long before reaping an idle lab the learner is warned. */
  LAB_IDLE_WARNING_SECONDS: z.coerce.number().positive().default(120),
  /** Who may sign in as a guest: only from this machine, anyone, or nobody. */
  GUEST_ACCESS: z.enum(['local', 'any', 'off']).default('local'),
  /** The dashboard flags a learner "stuck" after this long on one step without a pass. */
  CLASS_STUCK_MINUTES: z.coerce.number().positive().default(10),
});

export interface Config {
  host: string;
  port: number;
  allowedOrigins: string[];
  dataDir: string;
  dbPath: string;
  cookieSecret: string | undefined;
  instructorPassword: string | undefined;
  dockerSocket: string;
  guestAccess: 'local' | 'any' | 'off';
  classroom: {
    stuckMinutes: number;
  };
  lab: {
    instance: string;
    imagePrefix: string;
    pool: PoolConfig;
    memoryMb: number;
    pidsLimit: number;
    cpus: number;
    idleMinutes: number;
    sleepDays: number;
    maxPerHost: number;
    /** Where maxPerHost came from, for the start-up log. */
    maxPerHostReason: string;
    warmPool: number;
    idleWarningSeconds: number;
    keepOnShutdown: boolean;
  };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, host: HostFacts = thisHost()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.LAB_POOL_FIRST > e.LAB_POOL_LAST) throw new ConfigError('LAB_POOL_FIRST must not exceed LAB_POOL_LAST');
  const fit = labsThatFit(host);
  return {
    host: e.HOST,
    port: e.PORT,
    allowedOrigins: e.ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    dataDir: e.DATA_DIR,
    dbPath: e.DB_PATH ?? `${e.DATA_DIR}/iptables-lab.db`,
    cookieSecret: e.COOKIE_SECRET,
    instructorPassword: e.INSTRUCTOR_PASSWORD,
    dockerSocket: e.DOCKER_SOCKET,
    guestAccess: e.GUEST_ACCESS,
    classroom: {
      stuckMinutes: e.CLASS_STUCK_MINUTES,
    },
    lab: {
      instance: e.LAB_INSTANCE,
      imagePrefix: e.LAB_IMAGE_PREFIX,
      pool: {
        templates: { lan: e.LAB_LAN_POOL, office: e.LAB_OFFICE_POOL },
        firstSlot: e.LAB_POOL_FIRST,
        lastSlot: e.LAB_POOL_LAST,
      },
      memoryMb: e.LAB_MEMORY_MB,
      pidsLimit: e.LAB_PIDS_LIMIT,
      cpus: e.LAB_CPUS,
      idleMinutes: e.LAB_IDLE_MINUTES,
      sleepDays: e.LAB_SLEEP_DAYS,
      // Never more labs than the address pool has slots.
      maxPerHost: e.LAB_MAX_PER_HOST ?? Math.min(fit.labs, e.LAB_POOL_LAST - e.LAB_POOL_FIRST + 1),
      maxPerHostReason: e.LAB_MAX_PER_HOST === undefined ? `derived from this host, ${fit.reason}` : 'set by LAB_MAX_PER_HOST',
      warmPool: e.LAB_WARM_POOL,
      idleWarningSeconds: e.LAB_IDLE_WARNING_SECONDS,
      keepOnShutdown: e.LAB_KEEP_ON_SHUTDOWN === 'true',
    },
  };
}
