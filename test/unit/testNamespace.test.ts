import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { ownerOf, testNamespace } from '../support/testNamespace';

describe("a test's namespace", () => {
  it('names the process that owns it, and is a valid LAB_INSTANCE however long its tag', () => {
    expect(testNamespace('tswap', 4321)).toBe('tswap--4321');
    const long = testNamespace('tinspectortracewithalongname', 4194304);
    expect(long).toBe('tinspectortr--4194304');
    expect(ownerOf(long)).toBe(4194304);
    expect(loadConfig({ LAB_INSTANCE: long }).runtime.namespace).toBe(long);
    expect(ownerOf(testNamespace('e2ers', 77))).toBe(77);
  });

  it('is told apart from every other namespace, those of older tests included', () => {
    for (const other of ['main', 'second', 't-4321-977', 'tlabtrust4367', 't-trace14278', 'e2e-13266', 'bench9489'])
      expect(ownerOf(other)).toBeUndefined();
    expect(() => testNamespace('main')).toThrow(/starts with t or e2e/);
    expect(() => testNamespace('t-x')).toThrow();
  });
});
