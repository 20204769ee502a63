import { afterEach, describe, expect, it, vi } from 'vitest';
import { TelnetOption } from '../../src/protocol/options.js';
import { createConnection } from '../../src/session/connection.js';
import type { ConnectionOptions } from '../../src/session/connection.js';
import { manualTransport } from '../../src/testing/index.js';
import { watch } from '../helpers/watch.js';

type TimeoutName = 'negotiationTimeout' | 'outputOverflowTimeout' | 'readyQuiet' | 'readyTimeout' | 'idleTimeout';
const names: readonly TimeoutName[] = [
  'negotiationTimeout',
  'outputOverflowTimeout',
  'readyQuiet',
  'readyTimeout',
  'idleTimeout',
];

afterEach(() => {
  vi.useRealTimers();
});

describe('the connection timeout options', () => {
  it.each(names.flatMap((name) => [0, -1, Number.NaN].map((value) => [name, value] as const)))(
    '%s: %d is a RangeError naming the option',
    (name, value) => {
      const options: ConnectionOptions = { [name]: value };
      expect(() => createConnection(manualTransport(), options)).toThrow(new RegExp(`^${name} must be`));
      expect(() => createConnection(manualTransport(), options)).toThrow(RangeError);
    },
  );

  it('with every one Infinity, no timer is scheduled at all, even for a pending request', () => {
    vi.useFakeTimers();
    const options: ConnectionOptions = Object.fromEntries(names.map((name) => [name, Infinity]));
    const transport = manualTransport();
    const connection = createConnection(transport, options);
    const request = watch(connection.do(TelnetOption.NAWS)).seen;
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(24 * 60 * 60 * 1000);
    expect(request.error).toBeUndefined();
    expect(connection.write('still open')).toBe(true);
  });
});
