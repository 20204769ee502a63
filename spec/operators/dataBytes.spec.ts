import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { command, data, negotiation, warning } from '../../src/codec/events.js';
import type { TelnetEvent } from '../../src/codec/events.js';
import { dataBytes } from '../../src/operators/dataBytes.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

describe('dataBytes', () => {
  it('keeps the bytes of Data events only', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold<TelnetEvent>('-a-g-n-b-w-|', {
        a: data(bytes(104, 105)),
        g: command(249),
        n: negotiation('DO', 1),
        b: data(bytes(33)),
        w: warning('StraySE', 'ignored'),
      });
      expectObservable(source.pipe(dataBytes())).toBe('-a-----b---|', { a: bytes(104, 105), b: bytes(33) });
    });
  });
});
