import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { command, data, negotiation } from '../../src/codec/events.js';
import type { TelnetEvent } from '../../src/codec/events.js';
import { commands } from '../../src/operators/commands.js';
import { Command } from '../../src/protocol/commands.js';

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

const values: Record<string, TelnetEvent> = {
  d: data(Uint8Array.of(65)),
  g: command(Command.GA),
  n: command(Command.NOP),
  e: command(Command.EOR),
  w: negotiation('WILL', 1),
};

describe('commands', () => {
  it('keeps every command when given none', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-d-g-n-w-e-|', values).pipe(commands())).toBe('---g-n---e-|', values);
    });
  });

  it('keeps only the commands given', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-d-g-n-w-e-|', values).pipe(commands(Command.GA, Command.EOR))).toBe(
        '---g-----e-|',
        values,
      );
    });
  });
});
