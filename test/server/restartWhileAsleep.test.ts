import { afterAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../../protocol/sessionView';
import { RestartableServer } from '../support/restartableServer';
import { TerminalClient } from './support/terminalClient';
import { api, guestCookie, wsUrl } from './support/testServer';

const server = new RestartableServer('ra');

/** Runs a command in machine1's shell and returns its one word of output (letters and dashes). */
async function run(base: string, cookie: string, session: SessionView, command: string): Promise<string> {
  const term = TerminalClient.connect(wsUrl(base, session.machines[0]?.terminalUrl ?? ''), { cookie, origin: base });
  await term.opened;
  term.hello(100, 30);
  await term.waitFor(/\]# /, 120_000);
  const from = term.position;
  term.input(`echo "OUT:$(${command}):END"\r`);
  const match = (await term.waitFor(/OUT:([a-z-]*):END/, 120_000, from)) as RegExpMatchArray;
  term.ws.close();
  return match[1] ?? '';
}

describe('a sleeping lab and a server killed with SIGKILL', () => {
  afterAll(() => server.dispose());

  it('is still asleep after the restart, and Resume brings back its machines and files', async () => {
    let base = await server.start();
    const cookie = await guestCookie(base);
    const session = (await api(base, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie }))
      .json as SessionView;
    expect(await run(base, cookie, session, 'echo before-restart > /root/kept.txt; cat /root/kept.txt')).toBe(
      'before-restart',
    );
    const slept = await api(base, session.links.sleep, { method: 'POST', cookie });
    expect(slept.json).toMatchObject({ status: 'sleeping' });

    base = await server.restart('SIGKILL');

    const listed = (await api(base, '/api/sessions', { cookie })).json as { sessions: SessionView[] };
    expect(listed.sessions).toEqual([
      expect.objectContaining({ id: session.id, status: 'sleeping', machines: session.machines }),
    ]);
    // "Start lab" on a sleeping lab wakes it: the learner's way back from the landing page.
    const woken = await api(base, '/api/labs/iptables-single-server/sessions', { method: 'POST', cookie });
    expect(woken).toMatchObject({ status: 200, json: { id: session.id, status: 'ready' } });
    expect(await run(base, cookie, session, 'cat /root/kept.txt')).toBe('before-restart');
  }, 180_000);
});
