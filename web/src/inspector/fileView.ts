import type { FirewallSnapshot, FirewallView } from '../../../protocol/inspector';
import { el } from '../dom';

/**
 * The rules file as it is on disk, with line numbers: which lines are running, which are not,
 * and where the model or iptables-restore finds a problem.
 */
export function renderFile(snapshot: FirewallSnapshot): HTMLElement {
  const file = snapshot.file;
  const box = el('div', { className: 'fw-file' });
  if (file.tooLarge) {
    const mib = file.tooLarge.limitBytes / (1024 * 1024);
    box.append(
      el('p', {
        className: 'fw-problem',
        textContent: `${file.path} is too big to show (over ${mib} MiB); the running rules are still shown. A rules file is a few kilobytes: check what wrote to it.`,
      }),
    );
    return box;
  }
  if (file.text === undefined) {
    box.append(el('p', { className: 'fw-problem', textContent: `${file.path} does not exist.` }));
    return box;
  }
  const running = new Set(
    snapshot.chains.flatMap((c) => c.rules.map((r) => r.fileLine).filter((n): n is number => n !== undefined)),
  );
  const notRunning = new Set(file.notRunning);
  const stillRunning = new Set(file.commentedButRunning);
  const problems = new Map<number, string[]>();
  for (const p of file.problems) problems.set(p.line, [...(problems.get(p.line) ?? []), p.message]);
  const restore = file.restoreError;
  const lines = file.text.replace(/\n$/, '').split('\n');
  const list = el('ol', { className: 'fw-lines' });
  lines.forEach((text, i) => {
    const n = i + 1;
    const classes = ['fw-line'];
    if (running.has(n)) classes.push('fw-running');
    if (notRunning.has(n)) classes.push('fw-not-running');
    if (stillRunning.has(n)) classes.push('fw-still-running');
    if (restore?.line === n) classes.push('fw-error');
    const item = el(
      'li',
      { className: classes.join(' '), data: { line: String(n) } },
      el('span', { className: 'fw-lineno', textContent: String(n) }),
      el('code', { textContent: text || ' ' }),
    );
    item.id = `fw-line-${n}`;
    if (notRunning.has(n)) item.append(el('span', { className: 'fw-tag', textContent: 'not running yet' }));
    if (stillRunning.has(n))
      item.append(el('span', { className: 'fw-tag', textContent: 'commented out, still running until a restart' }));
    if (restore?.line === n)
      item.append(el('span', { className: 'fw-problem', textContent: `iptables-restore: ${restore.message}` }));
    for (const message of problems.get(n) ?? [])
      item.append(el('span', { className: 'fw-problem fw-model', textContent: message }));
    list.append(item);
  });
  box.append(list);
  if (restore && restore.line === undefined)
    box.append(el('p', { className: 'fw-problem', textContent: `iptables-restore: ${restore.message}` }));
  return box;
}

/** The one sentence beginners most need: the file and the running rules are not the same. */
export function renderNotice(snapshot: FirewallSnapshot, firewall: FirewallView): HTMLElement | undefined {
  const restart = `service ${firewall.service} restart`;
  const restore = snapshot.file.restoreError;
  if (restore) {
    return el(
      'div',
      { className: 'fw-notice fw-notice-error' },
      el('strong', { textContent: `The file would not load${restore.line ? ` (line ${restore.line})` : ''}: ` }),
      `${restore.message}. Fix it before running `,
      el('code', { textContent: restart }),
      ', or the restart leaves the firewall open.',
    );
  }
  if (snapshot.inSync) return undefined;
  const save = `service ${firewall.service} save`;
  const code = (text: string): HTMLElement => el('code', { textContent: text });
  const notice = el('div', { className: 'fw-notice' });
  // Which side moved decides the advice: a restart after commands would throw their work away.
  if (snapshot.changed === 'running')
    notice.append(
      el('strong', { textContent: 'The running rules differ from the file: ' }),
      'commands changed them since the last start. Run ',
      code(save),
      ' to keep them, or ',
      code(restart),
      ' to go back to the file.',
    );
  else if (snapshot.changed === 'stopped')
    notice.append(
      el('strong', { textContent: `${firewall.service} is not started: ` }),
      'the rules running are not the file. Run ',
      code(restart),
      ' to load it.',
    );
  else
    notice.append(
      el('strong', { textContent: `The file has changed since ${firewall.service} was last started: ` }),
      'run ',
      code(restart),
      ' to apply it (or ',
      code(save),
      ' to write the running rules over it).',
    );
  if (snapshot.differences.length)
    notice.append(el('ul', {}, ...snapshot.differences.slice(0, 6).map((d) => el('li', {}, ...withCode(d)))));
  return notice;
}

/** A difference quotes rules between backticks: those parts as code, the rest as plain text (never markup). */
function withCode(text: string): (string | HTMLElement)[] {
  return text.split('`').map((part, i) => (i % 2 === 1 ? el('code', { textContent: part }) : part));
}
