import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { command, data, negotiation, subnegotiation, warning } from '../../src/codec/events.js';
import type { TelnetEvent } from '../../src/codec/events.js';
import { decodeTelnet } from '../../src/operators/decodeTelnet.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
/** Compares Warning events by code only (their detail is prose). */
const plain = (event: TelnetEvent) => (event._tag === 'Warning' ? { _tag: 'Warning', code: event.code } : event);

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

describe('decodeTelnet', () => {
  it('decodes chunks as they come, keeping state across chunk edges', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c---|', {
        a: bytes(104, 105, 255),
        b: bytes(253, 31, 255, 250, 31, 0),
        c: bytes(80, 0, 24, 255, 240, 33),
      });
      expectObservable(source.pipe(decodeTelnet())).toBe('-a-n-(sd)|', {
        a: data(bytes(104, 105)),
        n: negotiation('DO', 31),
        s: subnegotiation(31, bytes(0, 80, 0, 24)),
        d: data(bytes(33)),
      });
    });
  });

  it('flushes on completion: a held CR in nvt mode, then completes', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-|', { a: bytes(111, 107, 13) });
      expectObservable(source.pipe(decodeTelnet({ newline: 'nvt' }))).toBe('-a-(c|)', {
        a: data(bytes(111, 107)),
        c: data(bytes(13)),
      });
    });
  });

  it('flushes a Truncated warning when the source completes inside a command', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-|', { a: bytes(255, 249, 255) });
      expectObservable(source.pipe(decodeTelnet(), map(plain))).toBe('-g-(w|)', {
        g: command(249),
        w: { _tag: 'Warning', code: 'Truncated' },
      });
    });
  });

  it('passes source errors through', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const failure = new Error('socket reset');
      const source = cold('-a-#', { a: bytes(255, 240) }, failure);
      expectObservable(source.pipe(decodeTelnet())).toBe(
        '-w-#',
        { w: warning('StraySE', 'IAC SE outside a subnegotiation; ignored') },
        failure,
      );
    });
  });

  it('unsubscribes from the source on teardown, and gives each subscription its own decoder', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: bytes(255), b: bytes(241), c: bytes(65) });
      const decoded = source.pipe(decodeTelnet());
      expectObservable(decoded, '^-!').toBe('---');
      expectObservable(decoded, '--^').toBe('-----n-d-|', { n: command(241), d: data(bytes(65)) });
      expectSubscriptions(source.subscriptions).toBe(['^-!', '--^------!']);
    });
  });
});
