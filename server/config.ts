import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { parseCidr, type PoolSettings } from './runtime/addressPool';
import { labsThatFit, thisHost, type HostFacts } from './runtime/hostCapacity';

/**
 * TRUST_PROXY: "off", a number of proxy hops, or a comma-separated list of proxy addresses,
 * subnets and the names loopback, linklocal, uniquelocal. Never "true": that would let any
 * client pick its own address.
 */
const trustProxySchema = z
  .string()
  .trim()
  .refine(
    (value) =>
      value === 'off' || /^\d{1,2}$/.test(value) || value.split(',').every((part) => isProxyAddress(part.trim())),
    'use off, a hop count, or proxy addresses/subnets (e.g. loopback or 10.0.0.5,10.0.1.0/24)',
  );

function isProxyAddress(part: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(part)) return true;
  const [address, bits, ...rest] = part.split('/');
  if (rest.length > 0 || !address || isIP(address) === 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address) === 4 ? 32 : 128));
}

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
  LAB_INSTANCE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,20}$/)
    .default('main'),
  LAB_IMAGE_PREFIX: z.string().default('iptables-lab'),
  LAB_POOL_FIRST: z.coerce.number().int().min(0).max(255).default(1),
  LAB_POOL_LAST: z.coerce.number().int().min(0).max(255).default(200),
  LAB_MEMORY_MB: z.coerce.number().int().min(64).default(256),
  LAB_PIDS_LIMIT: z.coerce.number().int().min(32).default(256),
  /** Host disk each machine may fill (its whole writable filesystem). */
  LAB_DISK_MB: z.coerce.number().int().min(32).max(1_048_576).default(256),
  /** Where machines' disk images live when the storage driver cannot cap a container itself. */
  LAB_DISK_DIR: z.string().optional(),
  // A ceiling, not a reservation: under contention machines share the host's cores fairly
  // anyway. One core lets a terminal flood (and nmap) run at full speed; half a core halved it.
  LAB_CPUS: z.coerce.number().positive().max(64).default(1),
  LAB_IDLE_MINUTES: z.coerce.number().positive().default(30),
  /** Idle labs sleep (machines stopped, files kept) and are removed after this many days asleep. */
  LAB_SLEEP_DAYS: z.coerce.number().positive().default(7),
  /** Unset: derived from the host's cores and memory (runtime/hostCapacity.ts). */
  LAB_MAX_PER_HOST: z.coerce.number().int().positive().optional(),
  /** Lab creations and wakes at once; unset: one per core. 0 means no limit. */
  LAB_START_CONCURRENCY: z.coerce.number().int().min(0).max(64).optional(),
  /** Labs kept ready ahead of time so "Start lab" is instant. */
  LAB_WARM_POOL: z.coerce.number().int().min(0).max(10).default(1),
  LAB_SPARE_NETWORKS: z.coerce.number().int().min(0).max(10).default(1),
  /** Labs warmed for a class's learners when its dashboard opens are released if unused this long after; 0: off. */
  LAB_ROSTER_WARM_MINUTES: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .default(15),
  /** A deliberate stop (SIGTERM/SIGINT) leaves learners' labs running for the next start to take back. */
  LAB_KEEP_ON_SHUTDOWN: z.enum(['true', 'false']).default('true'),
  /** How long before reaping an idle lab the learner is warned. */
  LAB_IDLE_WARNING_SECONDS: z.coerce.number().positive().default(120),
  /** Who may sign in as a guest: only from this machine, anyone, or nobody. */
  GUEST_ACCESS: z.enum(['local', 'any', 'off']).default('local'),
  /** New guests per client address per 10 minutes. */
  GUEST_SIGNINS_PER_10_MIN: z.coerce.number().int().positive().default(20),
  /** The dashboard flags a learner "stuck" after this long on one step without a pass. */
  CLASS_STUCK_MINUTES: z.coerce.number().positive().default(10),
  /** A lab ends this long after it started, keepalives or not. */
  LAB_MAX_HOURS: z.coerce.number().positive().default(4),
  /** How long before that end the learner is warned. */
  LAB_MAX_WARNING_MINUTES: z.coerce.number().positive().default(15),
  /** Which reverse proxy to believe about the client (Express "trust proxy"); off by default. */
  TRUST_PROXY: trustProxySchema.default('off'),
  /** Built-in HTTPS: PEM certificate (chain) and key files. Both or neither. */
  TLS_CERT: z.string().min(1).optional(),
  TLS_KEY: z.string().min(1).optional(),
});

export interface Config {
  host: string;
  port: number;
  /** Express "trust proxy": false, a hop count, or addresses/subnets/names such as "loopback". */
  trustProxy: false | number | string;
  tls: { certFile: string; keyFile: string } | undefined;
  guestSignInsPer10Min: number;
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
    pool: PoolSettings;
    memoryMb: number;
    pidsLimit: number;
    cpus: number;
    diskMb: number;
    diskDir: string;
    idleMinutes: number;
    sleepDays: number;
    maxPerHost: number;
    /** Where maxPerHost came from, for the start-up log. */
    maxPerHostReason: string;
    warmPool: number;
    /** Free address slots whose networks stay ready, so a new lab need not create them. */
    spareNetworks: number;
    /** Lab creations and wakes at once (0: no limit). */
    startConcurrency: number;
    /** How long labs warmed for a class's roster wait for their learners (0: no roster warming). */
    rosterWarmMinutes: number;
    idleWarningSeconds: number;
    keepOnShutdown: boolean;
    maxHours: number;
    maxWarningMinutes: number;
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
  const overrides = subnetOverrides(env);
  if (e.LAB_POOL_FIRST > e.LAB_POOL_LAST) throw new ConfigError('LAB_POOL_FIRST must not exceed LAB_POOL_LAST');
  if ((e.TLS_CERT === undefined) !== (e.TLS_KEY === undefined))
    throw new ConfigError('Set both TLS_CERT and TLS_KEY for HTTPS, or neither');
  const fit = labsThatFit(host);
  return {
    host: e.HOST,
    port: e.PORT,
    trustProxy: e.TRUST_PROXY === 'off' ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    tls: e.TLS_CERT && e.TLS_KEY ? { certFile: e.TLS_CERT, keyFile: e.TLS_KEY } : undefined,
    guestSignInsPer10Min: e.GUEST_SIGNINS_PER_10_MIN,
    allowedOrigins: e.ALLOWED_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
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
        overrides,
        firstSlot: e.LAB_POOL_FIRST,
        lastSlot: e.LAB_POOL_LAST,
      },
      memoryMb: e.LAB_MEMORY_MB,
      pidsLimit: e.LAB_PIDS_LIMIT,
      diskMb: e.LAB_DISK_MB,
      diskDir: path.resolve(e.LAB_DISK_DIR ?? path.join(e.DATA_DIR, 'disks')),
      cpus: e.LAB_CPUS,
      idleMinutes: e.LAB_IDLE_MINUTES,
      sleepDays: e.LAB_SLEEP_DAYS,
      // Never more labs than the address pool has slots.
      maxPerHost: e.LAB_MAX_PER_HOST ?? Math.min(fit.labs, e.LAB_POOL_LAST - e.LAB_POOL_FIRST + 1),
      maxPerHostReason:
        e.LAB_MAX_PER_HOST === undefined ? `derived from this host, ${fit.reason}` : 'set by LAB_MAX_PER_HOST',
      warmPool: e.LAB_WARM_POOL,
      spareNetworks: e.LAB_SPARE_NETWORKS,
      startConcurrency: e.LAB_START_CONCURRENCY ?? host.cores,
      rosterWarmMinutes: e.LAB_ROSTER_WARM_MINUTES,
      idleWarningSeconds: e.LAB_IDLE_WARNING_SECONDS,
      keepOnShutdown: e.LAB_KEEP_ON_SHUTDOWN === 'true',
      maxHours: e.LAB_MAX_HOURS,
      maxWarningMinutes: e.LAB_MAX_WARNING_MINUTES,
    },
  };
}

/**
 * LAB_<NETWORK>_POOL moves one lab network's subnets, e.g. LAB_LAN_POOL=10.77.{n}.0/24 for every
 * lab network with the id "lan" (LAB_OFFICE_NET_POOL for "office-net"). Labs declare their own
 * templates; these are only for hosts whose own networks clash.
 */
function subnetOverrides(env: NodeJS.ProcessEnv): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^LAB_([A-Z0-9_]+)_POOL$/.exec(name);
    if (!match?.[1] || name in envSchema.shape || value === undefined) continue;
    if (!value.includes('{n}') || !isCidr(value.replaceAll('{n}', '1'))) {
      throw new ConfigError(
        `Invalid configuration:\n  ${name}: expected a subnet template with {n}, e.g. 10.1.{n}.0/24`,
      );
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
