import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { command, data, negotiation, subnegotiation, warning } from '../../src/codec/events.js';
import type { TelnetEvent } from '../../src/codec/events.js';
import { encodeTelnet } from '../../src/operators/encodeTelnet.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

describe('encodeTelnet', () => {
  it('encodes events and raw byte arrays, skipping what encodes to nothing', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold<TelnetEvent | Uint8Array>('-a-b-c-d-e-f-|', {
        a: negotiation('WILL', 31),
        b: subnegotiation(31, bytes(0, 255, 0, 24)),
        c: warning('StraySE', 'ignored'),
        d: bytes(104, 255, 10),
        e: command(249),
        f: data(bytes()),
      });
      expectObservable(source.pipe(encodeTelnet())).toBe('-a-b---d-e---|', {
        a: bytes(255, 251, 31),
        b: bytes(255, 250, 31, 0, 255, 255, 0, 24, 255, 240),
        d: bytes(104, 255, 255, 10),
        e: bytes(255, 249),
      });
    });
  });

  it('applies nvt newlines to data, both events and raw arrays', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold<TelnetEvent | Uint8Array>('-a-b-|', { a: bytes(104, 10), b: data(bytes(13)) });
      expectObservable(source.pipe(encodeTelnet({ newline: 'nvt' }))).toBe('-a-b-|', {
        a: bytes(104, 13, 10),
        b: bytes(13, 0),
      });
    });
  });
});
