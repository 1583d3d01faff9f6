import { isIP } from 'node:net';
import { z } from 'zod';
import { MAX_SPARE_DISKS } from '../runtime/hostCapacity';

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

/** The environment variables operators set (README "Configuration"), validated; loadConfig groups them by part. */
export const envSchema = z
  .object({
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
    /** Checks running at once on the host, learners taken in turn; 0 (the default) means no limit. */
    CHECK_CONCURRENCY: z.coerce.number().int().min(0).max(256).optional(),
    /** Labs kept ready ahead of time so "Start lab" is instant. */
    LAB_WARM_POOL: z.coerce.number().int().min(0).max(10).default(1),
    LAB_SPARE_NETWORKS: z.coerce.number().int().min(0).max(10).default(1),
    /** Host-side reads (nsenter) spawned by a helper process instead of the server's event loop. */
    HOST_SPAWNER: z.enum(['true', 'false']).default('true'),
    /** Machine disks formatted ahead of need; unset: derived from the host (runtime/hostCapacity.ts). */
    LAB_SPARE_DISKS: z.coerce.number().int().min(0).max(MAX_SPARE_DISKS).optional(),
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
    /** Past twenty wrong instructor passwords from anywhere, each check waits this much longer per failure (20x at most). */
    INSTRUCTOR_SLOWDOWN_MS: z.coerce.number().int().min(1).max(10_000).default(100),
    /** A lab ends this long after it started, keepalives or not. */
    LAB_MAX_HOURS: z.coerce.number().positive().default(4),
    /** How long before that end the learner is warned. */
    LAB_MAX_WARNING_MINUTES: z.coerce.number().positive().default(15),
    /** Which reverse proxy to believe about the client (Express "trust proxy"); off by default. */
    TRUST_PROXY: trustProxySchema.default('off'),
    /** The lowest level the server log writes: debug, info, warn or error. */
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** Built-in HTTPS: PEM certificate (chain) and key files. Both or neither. */
    TLS_CERT: z.string().min(1).optional(),
    TLS_KEY: z.string().min(1).optional(),
  })
  .superRefine((e, context) => {
    if (e.LAB_POOL_FIRST > e.LAB_POOL_LAST)
      context.addIssue({ code: 'custom', path: ['LAB_POOL_FIRST'], message: 'must not exceed LAB_POOL_LAST' });
    if ((e.TLS_CERT === undefined) !== (e.TLS_KEY === undefined))
      context.addIssue({
        code: 'custom',
        path: ['TLS_CERT'],
        message: 'set both TLS_CERT and TLS_KEY for HTTPS, or neither',
      });
  });

export type Env = z.output<typeof envSchema>;

/** The variables the schema names; LAB_<NETWORK>_POOL overrides are every other LAB_*_POOL. */
export const knownVariables: ReadonlySet<string> = new Set(Object.keys(envSchema.shape));
