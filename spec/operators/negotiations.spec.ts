import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { command, data, negotiation, subnegotiation } from '../../src/codec/events.js';
import type { TelnetEvent } from '../../src/codec/events.js';
import { negotiations } from '../../src/operators/negotiations.js';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

describe('negotiations', () => {
  it('keeps the negotiation events', () => {
    const values: Record<string, TelnetEvent> = {
      d: data(Uint8Array.of(65)),
      w: negotiation('WILL', 31),
      g: command(249),
      x: negotiation('DONT', 255),
      s: subnegotiation(31, Uint8Array.of(0, 80, 0, 24)),
    };
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-d-w-g-x-s-|', values).pipe(negotiations())).toBe('---w---x---|', values);
    });
  });
});
