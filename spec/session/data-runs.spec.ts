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
    runs.add(bytes('ab'), 0, 2);
    expect(text(runs.take())).toBe('ab');
    expect(runs.take()).toBeUndefined();
  });

  it('keeps runs that follow each other in one array as one view of it, without a copy', () => {
    const chunk = bytes('hello world');
    const runs = new DataRuns();
    runs.add(chunk, 0, 5);
    runs.add(chunk, 5, 11);
    const taken = runs.take();
    expect(text(taken)).toBe('hello world');
    expect(taken?.buffer).toBe(chunk.buffer);
    expect(taken?.constructor).toBe(Uint8Array);
  });

  it('joins runs with bytes dropped between them into a copy that later writes leave intact', () => {
    const chunk = bytes('one\r\ntwo\r\nthree\r\nfour');
    const runs = new DataRuns();
    runs.add(chunk, 0, 3);
    runs.add(chunk, 4, 8);
    runs.add(chunk, 9, 15);
    const first = runs.take();
    runs.add(chunk, 16, 17);
    runs.add(chunk, 18, 21);
    const second = runs.take();
    expect(text(first)).toBe('one\ntwo\nthree');
    expect(text(second)).toBe('\nour');
    expect(first?.buffer).not.toBe(chunk.buffer);
    chunk.fill(0);
    expect(text(first)).toBe('one\ntwo\nthree');
  });

  it('joins runs of different arrays, growing its copy when the first was small', () => {
    const runs = new DataRuns();
    runs.add(Uint8Array.of(13), 0, 1);
    runs.add(bytes('x'.repeat(40)), 0, 40);
    runs.add(bytes('yz'), 1, 2);
    expect(text(runs.take())).toBe(`\r${'x'.repeat(40)}z`);
  });

  test.prop([fc.array(fc.uint8Array({ minLength: 0, maxLength: 80 }), { maxLength: 12 }), fc.array(fc.nat())])(
    'takes the concatenation of what was added, whatever the runs and their sources',
    (sources, cuts) => {
      const runs = new DataRuns();
      const expected: number[] = [];
      const taken: number[] = [];
      sources.forEach((source, k) => {
        // a few ranges of each source, in order, some adjacent and some with gaps
        let at = 0;
        for (let step = 0; at < source.length && step < 4; step++) {
          const cut = cuts[(k * 4 + step) % Math.max(1, cuts.length)] ?? 0;
          const start = Math.min(source.length, at + (cut % 3));
          const end = Math.min(source.length, start + 1 + (cut % 23));
          runs.add(source, start, end);
          expected.push(...source.subarray(start, end));
          at = end;
          if (cut % 5 === 0) taken.push(...(runs.take() ?? []));
        }
      });
      taken.push(...(runs.take() ?? []));
      expect(taken).toEqual(expected);
    },
  );
});
