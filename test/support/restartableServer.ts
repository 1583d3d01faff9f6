import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeEveryLab } from './removeEveryLab';
import { runServerUntilListening, type ServerProcess } from './serverProcess';
import { testNamespace } from './testNamespace';

/**
 * The real server as its own process, for tests that stop it (SIGTERM or SIGKILL) and start it
 * again on the same data directory and LAB_INSTANCE, as an operator's restart or a crash would.
 */
export class RestartableServer {
  readonly env: Record<string, string>;
  private process: ServerProcess | undefined;

  /** `name` keeps the instance and data directory apart from every other suite's. */
  constructor(name: string, extra: Record<string, string> = {}) {
    this.env = {
      LAB_INSTANCE: testNamespace(`t${name}`),
      DATA_DIR: mkdtempSync(path.join(os.tmpdir(), `ipl-${name}-`)),
      LAB_WARM_POOL: '0',
      // Nor labs warmed for a class's roster: these tests count their learners' own machines.
      LAB_ROSTER_WARM_MINUTES: '0',
      HOST: '127.0.0.1',
      ...extra,
    };
  }

  /** The running server's base URL. */
  get url(): string {
    if (!this.process) throw new Error('the server has not been started');
    return this.process.url;
  }

  /** Starts the server and resolves with its base URL, which changes with every start (free port). */
  async start(): Promise<string> {
    this.process = await runServerUntilListening(this.env);
    return this.process.url;
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    await this.process?.stop(signal);
  }

  /** Stops the server the given way and starts it again; resolves with the new base URL. */
  async restart(signal: NodeJS.Signals): Promise<string> {
    await this.stop(signal);
    return this.start();
  }

  /** What the server process printed since its last start. */
  output(): string {
    return this.process?.output() ?? '';
  }

  /** After the tests: the process is killed and every lab of its instance removed from Docker. */
  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    await removeEveryLab(this.env);
  }
}
