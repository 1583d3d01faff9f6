/**
 * The namespace (LAB_INSTANCE) of a test's labs: `<tag>--<pid>`, the tag starting with `t` (or
 * `e2e` for the browser tests) and the pid that of the process owning the labs. A killed test
 * run cleans up nothing; `npm test` first removes every namespace of this form whose owner is
 * dead (scripts/reap-test-namespaces.ts), so the pid must be in the name. No other namespace
 * has a double hyphen.
 */

/** LAB_INSTANCE's longest (server/config/envSchema.ts). */
const MAX_LENGTH = 21;
const FORM = /^(?:t|e2e)[a-z0-9]*--([1-9][0-9]*)$/;

export function testNamespace(tag: string, pid = process.pid): string {
  if (!/^(?:t|e2e)[a-z0-9]*$/.test(tag)) throw new Error(`a test namespace's tag starts with t or e2e: ${tag}`);
  const owner = `--${pid}`;
  return `${tag.slice(0, MAX_LENGTH - owner.length)}${owner}`;
}

/** The owning process of a test's namespace, or undefined for any other namespace. */
export function ownerOf(namespace: string): number | undefined {
  const pid = FORM.exec(namespace)?.[1];
  return pid === undefined ? undefined : Number(pid);
}
