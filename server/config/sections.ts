import type { LogLevel } from '../log/Log';
import type { PoolSettings } from '../runtime/addressPool';

/**
 * The settings of each part of the server, as that part takes them: loadConfig builds them from
 * the environment (durations already in milliseconds) and startServer hands each one over unchanged.
 */
export interface Config {
  http: HttpConfig;
  data: DataConfig;
  auth: AuthConfig;
  runtime: RuntimeConfig;
  sessions: SessionsConfig;
  classroom: ClassroomConfig;
  grading: GradingConfig;
  log: LogConfig;
}

/** The server log: the lowest level it writes (debug lines only when asked for). */
export interface LogConfig {
  level: LogLevel;
}

/** The listening server: where, TLS, and whom to believe about the client. */
export interface HttpConfig {
  host: string;
  port: number;
  /** Express "trust proxy": false, a hop count, or addresses/subnets/names such as "loopback". */
  trustProxy: false | number | string;
  tls: { certFile: string; keyFile: string } | undefined;
  /** Extra origins allowed to open WebSockets and make state-changing requests. */
  allowedOrigins: string[];
}

/** The server's state on disk: the directory it locks, and the SQLite database. */
export interface DataConfig {
  dir: string;
  dbPath: string;
}

/** Signing in: the cookie key (generated into the data directory when unset) and guests. */
export interface AuthConfig {
  cookieSecret: string | undefined;
  guests: GuestsConfig;
}

export interface GuestsConfig {
  /** Who may sign in as a guest: only from this machine, anyone, or nobody. */
  access: 'local' | 'any' | 'off';
  /** New guests per client address per 10 minutes: one client cannot take every lab place. */
  perTenMinutes: number;
}

/** The Docker runtime (DockerRuntime.fromConfig): the engine, the namespace, machine limits, addresses. */
export interface RuntimeConfig {
  socketPath: string;
  /** LAB_INSTANCE: keeps two servers' (or test runs') Docker objects apart. */
  namespace: string;
  imagePrefix: string;
  pool: PoolSettings;
  memoryMb: number;
  pidsLimit: number;
  cpus: number;
  /** Each machine's disk cap, and where its disk image lives when Docker cannot cap it itself. */
  diskMb: number;
  diskDir: string;
  /** Machine disks formatted ahead of need, at most (0: each machine formats its own). */
  spareDisks: number;
  /** Free address slots whose networks stay ready for the next lab (0: every lab creates its own). */
  spareNetworks: number;
  /** Host-side reads spawned by a helper process, off the server's event loop. */
  hostSpawner: boolean;
}

/** Lab sessions' life (LabSessions): idle sleep, maximum age, warm pool, how many at once. */
export interface SessionsConfig {
  idleMs: number;
  /** How long before the reaper puts a lab to sleep the learner is warned. */
  idleWarningMs: number;
  /** How long a sleeping lab is kept before it is removed. */
  sleepMs: number;
  /** A lab ends after this much awake time, keepalives or not. */
  maxAgeMs: number;
  /** How long before that end the learner is warned. */
  maxAgeWarningMs: number;
  warmPoolSize: number;
  maxLabs: number;
  /** Where maxLabs came from, for the start-up log. */
  maxLabsReason: string;
  /** Lab creations and wakes at once (0: no limit). */
  startConcurrency: number;
  /** A deliberate stop leaves learners' labs running for the next start to take back. */
  keepOnShutdown: boolean;
}

/** Classes and their dashboards (createClassroom). */
export interface ClassroomConfig {
  instructorPassword: string | undefined;
  /** The dashboard flags a learner "stuck" after this long on one step without a pass. */
  stuckAfterMs: number;
  /** Past twenty wrong passwords from anywhere, each instructor sign-in check waits this much longer per failure. */
  signInSlowdownMs: number;
  /** How long labs warmed for a class's learners wait after its dashboard was last open (0: no warming). */
  rosterWarmMs: number;
}

/** Checks (the grading engine): how many run at once on this host, learners taken in turn. */
export interface GradingConfig {
  /** 0: no limit. */
  checkConcurrency: number;
}
