import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SHIPPED_RULES } from '../../../labs/iptables-single-server/bookFiles';

describe('the original rules file the backup step compares with', () => {
  it('is exactly the file the machine1 image ships', () => {
    expect(
      readFileSync(new URL('../../../docker/machine1/rootfs/etc/sysconfig/iptables', import.meta.url), 'utf8'),
    ).toBe(SHIPPED_RULES);
  });
});
