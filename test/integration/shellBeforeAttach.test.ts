import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import type { LabDeployment } from '../../server/runtime/LabRuntime';
import { commandRuns } from '../../labkit/transcript';
import { until } from '../support/until';
import { newSessionId, testRuntime } from '../support/labRuntime';

const { runtime } = testRuntime('shellahead');

/** The command lines of the machine's running bash processes, read with ps (not a shell of ours). */
async function bashes(deployment: LabDeployment, machine: string): Promise<string> {
  const ps = await runtime.exec(deployment, machine, ['ps', '-C', 'bash', '-o', 'args='], { timeoutMs: 30_000 });
  return ps.stdout;
}

// Real Docker: a warm lab's shells start before anyone attaches, so a handover only connects.
describe('the login shell of a machine nobody has attached to yet', () => {
  let deployment: LabDeployment;

  beforeAll(async () => {
    deployment = await runtime.create(newSessionId(), chapterTopology);
  });
  afterAll(() => runtime.destroy(deployment.deploymentId));

  it('is already running, and shows its prompt to the first terminal with the environment the images set', async () => {
    // Its profile and completion load in the background as soon as the machine is up.
    await expect.poll(() => bashes(deployment, 'machine2'), { timeout: 60_000, interval: 250 }).toMatch(/^bash -l$/m);

    const stream = await runtime.openTerminal(deployment, 'machine2', { cols: 100, rows: 30 });
    let seen = '';
    stream.onData((chunk) => {
      seen += chunk.toString('utf8');
    });
    await until(() => (/\[root@machine2 ~\]# $/.test(seen) ? true : undefined), 120_000);
    // Nothing of the wait for the attach is left: no job, no variable, the images' own prompt hook.
    stream.write(
      'jobs -p >/tmp/jobs; echo "hook=[$PROMPT_COMMAND] vars=$(env | grep -c __lab_) jobs=$(wc -l </tmp/jobs) cols=$(tput cols)"\r',
    );
    await until(() => (/hook=\[.*\] vars=\d+ jobs=\d+ cols=\d+\r\n/.test(seen) ? true : undefined), 120_000);
    expect(seen).toMatch(/hook=\[__lab_precmd\] vars=0 jobs=0 cols=100\r\n/);
    // The grader sees that first command like any other.
    expect(
      commandRuns(seen).map((run) => [run.commandLine?.startsWith('jobs -p'), run.exitCode, run.finished]),
    ).toEqual([[true, 0, true]]);
    // Still one shell: the first terminal attached to the one started ahead, not a second one.
    expect((await bashes(deployment, 'machine2')).match(/^bash -l$/gm)).toHaveLength(1);
    stream.close();
  }, 120_000);
});
