import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { command, data, warning } from '../../src/codec/events.js';
import type { TelnetEvent } from '../../src/codec/events.js';
import { warnings } from '../../src/operators/warnings.js';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

describe('warnings', () => {
  it('keeps the warning events', () => {
    const values: Record<string, TelnetEvent> = {
      d: data(Uint8Array.of(65)),
      s: warning('StraySE', 'ignored'),
      g: command(249),
      t: warning('Truncated', 'input ended inside a command; dropped'),
    };
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-d-s-g-t-|', values).pipe(warnings())).toBe('---s---t-|', values);
    });
  });
});
