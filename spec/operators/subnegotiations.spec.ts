import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { data, negotiation, subnegotiation } from '../../src/codec/events.js';
import type { TelnetEvent } from '../../src/codec/events.js';
import { subnegotiations } from '../../src/operators/subnegotiations.js';
import { TelnetOption } from '../../src/protocol/options.js';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

const values: Record<string, TelnetEvent> = {
  d: data(Uint8Array.of(65)),
  n: subnegotiation(TelnetOption.NAWS, Uint8Array.of(0, 80, 0, 24)),
  w: negotiation('WILL', TelnetOption.NAWS),
  t: subnegotiation(TelnetOption.TTYPE, Uint8Array.of(0, 120)),
};

describe('subnegotiations', () => {
  it('keeps every subnegotiation when given no option', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-d-n-w-t-|', values).pipe(subnegotiations())).toBe('---n---t-|', values);
    });
  });

  it('keeps the subnegotiations of one option (option 0 included)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-d-n-w-t-|', values).pipe(subnegotiations(TelnetOption.TTYPE))).toBe('-------t-|', values);
      const binary = { b: subnegotiation(TelnetOption.BINARY, Uint8Array.of(1)), ...values };
      expectObservable(cold('-b-n-|', binary).pipe(subnegotiations(TelnetOption.BINARY))).toBe('-b---|', binary);
    });
  });
});
