import { describe, expect, it } from 'vitest';
import { CloseCode, shouldReconnect } from '../../../protocol/terminal';

describe('close codes', () => {
  it('each mean one thing: no two share a number', () => {
    const codes = Object.values(CloseCode);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('reconnect only where a new connection can succeed', () => {
    const reconnecting = Object.entries(CloseCode)
      .filter(([, code]) => shouldReconnect(code))
      .map(([name]) => name)
      .sort();
    expect(reconnecting).toEqual(['ABNORMAL', 'FELL_BEHIND', 'GOING_AWAY', 'LAB_RESET', 'SERVER_ERROR']);
  });
});
