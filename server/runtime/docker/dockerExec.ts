import type Docker from 'dockerode';
import { PassThrough } from 'node:stream';
import type { ExecOptions, ExecResult } from '../LabRuntime';

/** The part of docker-modem used here (dockerode types it as any). */
interface DockerModem {
  demuxStream(stream: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): void;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Keeps a runaway command from filling the server's memory. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/**
 * Runs a command to completion. The timeout is enforced twice: coreutils `timeout` kills the
 * process inside the container, and the promise gives up on its own in case the stream hangs.
 */
export async function execInContainer(
  container: Docker.Container,
  command: string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const exec = await container.exec({
    Cmd: ['timeout', '-k', '1', String(seconds), ...command],
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: options.stdin !== undefined,
    Tty: false,
  });
  const stream = await exec.start({ hijack: true, stdin: options.stdin !== undefined });
  const stdout = collector();
  const stderr = collector();
  (container.modem as DockerModem).demuxStream(stream, stdout.sink, stderr.sink);
  if (options.stdin !== undefined) {
    stream.write(options.stdin);
    // Half-close so the command sees EOF on stdin while we keep reading its output.
    (stream as unknown as { end(): void }).end();
  }

  let timer: NodeJS.Timeout | undefined;
  const finished = new Promise<boolean>((resolve) => {
    stream.on('end', () => resolve(false));
    stream.on('close', () => resolve(false));
    stream.on('error', () => resolve(false));
    timer = setTimeout(() => resolve(true), timeoutMs + 2000);
  });
  const hung = await finished;
  clearTimeout(timer);
  if (hung) stream.destroy();

  const info = await exec.inspect();
  const exitCode = info.ExitCode ?? -1;
  return {
    stdout: stdout.text(),
    stderr: stderr.text(),
    exitCode,
    // coreutils timeout exits 124 (or 137 after -k) when it had to stop the command.
    timedOut: hung || exitCode === 124 || exitCode === 137,
  };
}

function collector(): { sink: PassThrough; text(): string } {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => {
    if (size >= MAX_OUTPUT_BYTES) return;
    chunks.push(chunk);
    size += chunk.length;
  });
  return { sink, text: () => Buffer.concat(chunks).toString('utf8') };
}
