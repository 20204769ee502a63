import { describe, expect, it } from 'vitest';
import { NO_SINKS, withoutSink, withSink } from '../../src/session/sinks.js';

describe('the sink lists of a connection', () => {
  it('adds at the end and removes by identity, as new arrays, and leaves the one an emission walks alone', () => {
    const a = { name: 'a' };
    const b = { name: 'b' };
    const one = withSink(NO_SINKS, a);
    const two = withSink(one, b);
    expect(one).toEqual([a]);
    expect(two).toEqual([a, b]);
    expect(withoutSink(two, a)).toEqual([b]);
    expect(two).toEqual([a, b]);
    expect(withoutSink(two, { name: 'c' })).toBe(two);
    expect(withoutSink(one, a)).toBe(NO_SINKS);
  });
});
