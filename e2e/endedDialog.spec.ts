import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { runServerUntilListening, type ServerProcess } from '../test/support/serverProcess';
import { removeEveryLab } from '../test/support/removeEveryLab';
import { expectAccessible } from './pages/a11y';
import { LabPage } from './pages/LabPage';
import { testNamespace } from '../test/support/testNamespace';

/**
 * A lab that reaches its time limit: the learner is warned by the banner, then the lab ends and
 * the ended dialog replaces the warning (no countdown left showing behind or over it). Its own
 * server, with a time limit short enough to wait for.
 */
const env = {
  LAB_INSTANCE: testNamespace('e2eed'),
  DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'ipl-e2e-ended-')),
  HOST: '127.0.0.1',
  LAB_WARM_POOL: '0',
  LAB_KEEP_ON_SHUTDOWN: 'false',
  // Ends 18 s after it started, warned from 10 s before (well before the idle warning). Starting
  // the lab and opening its page take a few seconds of those 18; the rest is waited out.
  LAB_MAX_HOURS: String(18 / 3600),
  LAB_MAX_WARNING_MINUTES: String(10 / 60),
  LAB_IDLE_MINUTES: '5',
  LAB_IDLE_WARNING_SECONDS: '4',
};

let server: ServerProcess | undefined;
test.afterAll(async () => {
  await server?.stop('SIGTERM');
  await removeEveryLab(env);
});

test('the time-limit banner gives way to the ended dialog when the lab ends', async ({ browser }) => {
  server = await runServerUntilListening(env);
  const context = await browser.newContext({ baseURL: server.url });
  try {
    const page = await context.newPage();
    const lab = await LabPage.start(page);
    const banner = lab.idleBanner();
    await expect(banner).toBeVisible({ timeout: 60_000 });
    await expect(banner).toContainText('time limit');

    await expect(lab.endedDialog()).toBeVisible({ timeout: 60_000 });
    await expect(lab.endedDialog()).toContainText('reached its time limit');
    await expect(banner).toBeHidden();
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expectAccessible(page, 'the ended dialog');
  } finally {
    await context.close();
  }
});
