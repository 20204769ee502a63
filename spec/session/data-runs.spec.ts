import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { DataRuns } from '../../src/session/data-runs.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (value: Uint8Array | undefined): string | undefined =>
  value === undefined ? undefined : new TextDecoder().decode(value);

describe('DataRuns', () => {
  it('has nothing to take before a run, nor after one was taken', () => {
    const runs = new DataRuns();
    expect(runs.take()).toBeUndefined();
    runs.add(bytes('ab'), 0, 2, false);
    expect(text(runs.take())).toBe('ab');
    expect(runs.take()).toBeUndefined();
  });

  it('keeps runs that follow each other in one array as one view of it, without a copy', () => {
    const chunk = bytes('hello world');
    const runs = new DataRuns();
    runs.begin(chunk.length);
    runs.add(chunk, 0, 5, false);
    runs.add(chunk, 5, 11, false);
    const taken = runs.take();
    expect(text(taken)).toBe('hello world');
    expect(taken?.buffer).toBe(chunk.buffer);
    expect(taken?.constructor).toBe(Uint8Array);
  });

  it('joins runs with bytes dropped between them into a copy that later writes leave intact', () => {
    const chunk = bytes('one\r\ntwo\r\nthree\r\nfour');
    const runs = new DataRuns();
    runs.begin(chunk.length);
    runs.add(chunk, 0, 3, false);
    runs.add(chunk, 4, 8, false);
    runs.add(chunk, 9, 15, false);
    const first = runs.take();
    runs.add(chunk, 16, 17, false);
    runs.add(chunk, 18, 21, false);
    const second = runs.take();
    expect(text(first)).toBe('one\ntwo\nthree');
    expect(text(second)).toBe('\nour');
    expect(first?.buffer).not.toBe(chunk.buffer);
    expect(second?.buffer).toBe(first?.buffer); // one array of ours for the chunk
    chunk.fill(0);
    expect(text(first)).toBe('one\ntwo\nthree');
  });

  it('copies a run of an array the decoder writes again, at once, also when it is the first one', () => {
    const scratch = bytes('abc');
    const runs = new DataRuns();
    runs.begin(8);
    runs.add(scratch, 0, 3, true);
    scratch.set(bytes('xyz'));
    runs.add(scratch, 0, 2, true);
    scratch.fill(0);
    expect(text(runs.take())).toBe('abcxy');
  });

  it('makes a new array for the next chunk, and one large enough when a chunk was announced too short', () => {
    const runs = new DataRuns();
    runs.begin(2);
    runs.add(Uint8Array.of(13), 0, 1, true);
    runs.add(bytes('x'.repeat(40)), 0, 40, false);
    runs.add(bytes('yz'), 1, 2, false);
    const first = runs.take();
    expect(text(first)).toBe(`\r${'x'.repeat(40)}z`);
    runs.begin(4);
    runs.add(bytes('ab'), 0, 1, true);
    runs.add(bytes('cd'), 1, 2, true);
    const second = runs.take();
    expect(text(second)).toBe('ad');
    expect(second?.buffer).not.toBe(first?.buffer);
    expect(text(first)).toBe(`\r${'x'.repeat(40)}z`);
  });

  test.prop([
    fc.array(fc.tuple(fc.uint8Array({ minLength: 0, maxLength: 80 }), fc.boolean()), { maxLength: 12 }),
    fc.array(fc.nat()),
  ])('takes the concatenation of what was added, whatever the runs, their sources and copies', (sources, cuts) => {
    const runs = new DataRuns();
    const expected: number[] = [];
    const taken: Uint8Array[] = [];
    sources.forEach(([source, copy], k) => {
      runs.begin(source.length);
      // a few ranges of each source, in order, some adjacent and some with gaps
      let at = 0;
      for (let step = 0; at < source.length && step < 4; step++) {
        const cut = cuts[(k * 4 + step) % Math.max(1, cuts.length)] ?? 0;
        const start = Math.min(source.length, at + (cut % 3));
        const end = Math.min(source.length, start + 1 + (cut % 23));
        runs.add(source, start, end, copy);
        expected.push(...source.subarray(start, end));
        at = end;
        if (cut % 5 === 0) taken.push(runs.take() ?? new Uint8Array(0));
      }
      if (copy) source.fill(7); // an array the decoder writes again: what was taken must not change
    });
    taken.push(runs.take() ?? new Uint8Array(0));
    expect(taken.flatMap((piece) => [...piece])).toEqual(expected);
  });
});
