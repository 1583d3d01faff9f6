/** Shell commands for what a root learner can forge inside a machine: programs and files. */

/** Writes a program at `path` that prints `output` and exits with `exit`, whatever it is asked. */
export const fake = (path: string, output: string, exit = 0) =>
  `printf '%s' ${JSON.stringify(Buffer.from(`#!/bin/sh\ncat <<'EOF'\n${output}\nEOF\nexit ${exit}\n`).toString('base64'))} | base64 -d > ${path} && chmod 755 ${path}`;

/** Writes `text` to `path`, whatever characters it holds. */
export const writeFile = (path: string, text: string) =>
  `echo ${Buffer.from(text).toString('base64')} | base64 -d > ${path}`;
