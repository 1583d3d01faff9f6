import { execFile } from 'node:child_process';

/** Runs a host program (nft, mount, mkfs) and rejects with its own error text. */
export function hostCommand(file: string, args: readonly string[], stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new Error(
          missing ? `${file} is not installed` : `${file} ${args.join(' ')}: ${stderr.trim() || error.message}`,
        ),
      );
    });
    // A program that exits without reading its input must not crash us with EPIPE.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(stdin ?? '');
  });
}
