/**
 * One long-lived `nft -i` for the packet tap's table. The table is created with `flags owner`:
 * the kernel deletes it when this process's netlink socket closes, and the process dies with the
 * server however the server dies (setpriv's parent-death SIGKILL), so a server killed with -9
 * leaves no table behind, whether or not a server starts again. Only the owner may change an
 * owned table, so every later command goes through the same process (each line is its own
 * transaction, as with `nft` run once per command).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

const ANSWER_MS = 30_000;

/** Printed after each batch, whatever the batch did: it ends what the batch printed. */
const END = 'describe ip ttl';
const END_OUTPUT = /^payload expression, datatype integer \(integer\), 8 bits\n/m;

interface Request {
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  /** Timed out: still waits for its end marker, so later answers stay with their batches. */
  abandoned: boolean;
}

export class OwnedNft {
  private readonly child: ChildProcessWithoutNullStreams;
  private output = '';
  private readonly waiting: Request[] = [];
  private exited = false;

  constructor() {
    // stderr joins stdout in order, so an error is read before the batch's end marker.
    this.child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', 'sh', '-c', 'exec nft -i 2>&1'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.read(chunk));
    this.child.stdin.on('error', () => undefined);
    const gone = (error: Error): void => {
      this.exited = true;
      for (const r of this.waiting.splice(0)) {
        clearTimeout(r.timer);
        if (!r.abandoned) r.reject(error);
      }
    };
    this.child.on('error', gone);
    this.child.on('exit', (code) => gone(new Error(`nft exited (${code ?? 'signal'})`)));
  }

  /** Runs nft commands, one a line; rejects with nft's error text if any failed. */
  run(lines: readonly string[]): Promise<void> {
    if (this.exited) return Promise.reject(new Error('nft is not running'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        request.abandoned = true;
        reject(new Error(`nft did not answer in ${ANSWER_MS / 1000} s`));
      }, ANSWER_MS);
      const request: Request = { resolve, reject, timer, abandoned: false };
      this.waiting.push(request);
      this.child.stdin.write([...lines, END, ''].join('\n'));
    });
  }

  close(): void {
    this.child.kill('SIGKILL');
  }

  private read(chunk: string): void {
    this.output += chunk;
    for (let end = END_OUTPUT.exec(this.output); end; end = END_OUTPUT.exec(this.output)) {
      const said = this.output.slice(0, end.index);
      this.output = this.output.slice(end.index + end[0].length);
      const request = this.waiting.shift();
      if (!request || request.abandoned) continue;
      clearTimeout(request.timer);
      const error = said.match(/^Error: .*$/m);
      if (error) request.reject(new Error(`nft: ${error[0]}\n${said.trim()}`));
      else request.resolve();
    }
  }
}
