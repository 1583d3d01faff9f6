import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import type { LabModule, LearnerTerminals } from '../../labkit/types';
import type { LabDeployment } from '../../labkit/deployment';
import type { LabParameters } from '../../labkit/parameters';
import { loadCookieSecret } from '../../server/auth/cookieSecret';
import { loadConfig } from '../../server/config';
import { labParameters } from '../../server/grading/labParameters';
import { checkContext, solveContext } from '../../server/grading/contexts';
import { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { ServerOp } from '../../protocol/terminal';
import type { LabPage } from './LabPage';
import type { StepsPanel } from './StepsPanel';

/** How an unknown verdict ends: the check could not find out, and asks to be run again. */
const UNKNOWN = /(press Check|try) again in a (few seconds|moment)/i;

/**
 * Works through a lab's steps as its author's `solve` does, but as a learner in the page: commands
 * are typed into the page's terminals (so the server records them, as it does a learner's), answers
 * go into the step's inputs, and Check is pressed in the page. Only the solve's own chores
 * (`ctx.sh`, e.g. creating a backup file) go straight to the real machines through Docker.
 */
export class PageSolver {
  /** Raw terminal output per machine, as the server sent it to the page (shell markers included). */
  private readonly output = new Map<string, string>();
  private runtime: DockerRuntime | undefined;

  private constructor(
    private readonly lab: LabPage,
    private readonly steps: StepsPanel,
  ) {}

  /** Call before the lab page opens, so every terminal's output is heard from its first byte. */
  static listen(page: Page, lab: LabPage, steps: StepsPanel): PageSolver {
    const solver = new PageSolver(lab, steps);
    page.on('websocket', (socket) => {
      const id = /\/terminals\/([a-z0-9-]+)(?:[?#]|$)/.exec(socket.url())?.[1];
      if (!id) return;
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string' || payload[0] !== ServerOp.OUTPUT) return;
        solver.output.set(id, (solver.output.get(id) ?? '') + payload.subarray(1).toString('utf8'));
      });
    });
    return solver;
  }

  /** Solves the step in the page and presses its Check; resolves with the check's message. */
  async solve(module: LabModule, stepId: string, dataDir: string, instance: string): Promise<string> {
    const step = module.steps.find((s) => s.id === stepId);
    if (!step) throw new Error(`no step ${stepId}`);
    const config = loadConfig({ ...process.env, DATA_DIR: dataDir, LAB_INSTANCE: instance });
    this.runtime ??= DockerRuntime.fromConfig(config.runtime);
    const runtime = this.runtime;
    const answers: Record<string, string> = {};
    const parameters = await this.parameters(module, dataDir);
    await step.solve(
      solveContext(
        checkContext(runtime, this.deployment(config.data.dbPath), {
          terminals: this.terminals(),
          answers,
          parameters,
        }),
        answers,
      ),
    );
    await this.steps.reveal();
    for (const [question, value] of Object.entries(answers))
      await this.steps.step(stepId).locator(`input[name="${question}"]`).fill(value);
    return this.checkLikeALearner(stepId);
  }

  /**
   * Presses Check, and again (a few times, a few seconds apart) while the check could not find out
   * and says so ("press Check again"): on a busy host a probe may get no answer in time.
   */
  private async checkLikeALearner(stepId: string): Promise<string> {
    let message = await this.steps.check(stepId);
    for (let tried = 1; tried < 4; tried++) {
      const status = await this.steps.step(stepId).getAttribute('data-status');
      if (status === 'passed' || !UNKNOWN.test(message)) break;
      // The message asks for a few seconds' wait; nothing on the page marks when to try.
      await this.lab.page.waitForTimeout(3_000);
      message = await this.steps.check(stepId);
    }
    return message;
  }

  /** The signed-in learner's values of the lab's parameters, drawn as the server draws them (same secret). */
  private async parameters(module: LabModule, dataDir: string): Promise<LabParameters> {
    const me = (await (await this.lab.page.request.get('/api/me')).json()) as { learnerId: string | null };
    if (!me.learnerId) throw new Error('the page has no learner signed in');
    return labParameters(loadCookieSecret(process.env.COOKIE_SECRET, dataDir))(me.learnerId, module);
  }

  /** The machines of the page's lab, as the server recorded them in its database. */
  private deployment(dbPath: string): LabDeployment {
    const db = new Database(path.resolve(dbPath), { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT instance_json FROM lab_sessions WHERE id = ?').get(this.lab.sessionId) as
        { instance_json: string | null } | undefined;
      if (!row?.instance_json) throw new Error(`the server has no machines for lab ${this.lab.sessionId}`);
      return JSON.parse(row.instance_json) as LabDeployment;
    } finally {
      db.close();
    }
  }

  /** The page's terminals as a solve sees them: keystrokes go through xterm, output comes back over its socket. */
  private terminals(): LearnerTerminals {
    return {
      transcript: (machineId) => this.output.get(machineId) ?? '',
      type: async (machineId, text) => {
        await this.lab.focus(machineId);
        // Enter and Ctrl+C as keys; everything else as one input event into xterm's textarea (as
        // an IME or a phone keyboard enters text), which goes the same way to the machine as
        // keystrokes do, but without a round trip per character. LabPage.run types key by key.
        for (const part of text.split(/(\r|\x03)/)) {
          if (part === '\r') await this.lab.page.keyboard.press('Enter');
          else if (part === '\x03') await this.lab.page.keyboard.press('Control+C');
          else if (part) await this.lab.page.keyboard.insertText(part);
        }
      },
    };
  }
}
