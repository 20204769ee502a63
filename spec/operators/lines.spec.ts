import { type SchedulerAction, Subject, type Subscription, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { command, data, negotiation, subnegotiation, warning, type TelnetEvent } from '../../src/codec/events.js';
import { lines, type TextLine } from '../../src/operators/lines.js';
import { Command } from '../../src/protocol/commands.js';
import { TelnetOption } from '../../src/protocol/options.js';
import type { TextEncodingName } from '../../src/text/encodings.js';

const text = (value: string): TelnetEvent => data(new TextEncoder().encode(value));
const raw = (...values: number[]): TelnetEvent => data(Uint8Array.from(values));
const line = (value: string): TextLine => ({ _tag: 'Line', text: value });
const prompt = (value: string, mark: 'GA' | 'EOR' | 'Idle'): TextLine => ({ _tag: 'Prompt', text: value, mark });

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
});

describe('lines', () => {
  it('splits Data into lines at LF, CR LF, CR NUL and CR, across chunks', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c---|', {
        a: text('Welcome\r\nto the '),
        b: text('game\r'),
        c: raw(0x0a, 0x6f, 0x6b, 0x0d, 0x00),
      });
      expectObservable(source.pipe(lines())).toBe('-w-g-k---|', {
        w: line('Welcome'),
        g: line('to the game'),
        k: line('ok'),
      });
    });
  });

  it('turns the unfinished line into a Prompt at GA or EOR, and emits none without text', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-g-b-e-g-c-g|', {
        a: text('Name: '),
        g: command(Command.GA),
        b: text('Password: '),
        e: command(Command.EOR),
        c: text('HP 10>\r\n'),
      });
      expectObservable(source.pipe(lines())).toBe('---n---p---h--|', {
        n: prompt('Name: ', 'GA'),
        p: prompt('Password: ', 'EOR'),
        h: line('HP 10>'),
      });
    });
  });

  it('ignores negotiations, subnegotiations, warnings and other commands', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c-d-e-f|', {
        a: text('one '),
        b: negotiation('WILL', TelnetOption.ECHO),
        c: subnegotiation(TelnetOption.NAWS, Uint8Array.of(0, 80, 0, 24)),
        d: warning('StraySE', 'test'),
        e: command(Command.NOP),
        f: text('two\n'),
      });
      expectObservable(source.pipe(lines())).toBe('-----------l|', { l: line('one two') });
    });
  });

  it('emits the unfinished line as a Line on completion, after flushing the decoder', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a|', { a: text('bye') }).pipe(lines())).toBe('--(l|)', { l: line('bye') });
      expectObservable(cold('-a|', { a: raw(0x61, 0xe2, 0x82) }).pipe(lines())).toBe('--(l|)', {
        l: line('a\ufffd'),
      });
      expectObservable(cold('-a|', { a: text('\r\n') }).pipe(lines())).toBe('-l|', { l: line('') });
    });
  });

  it('drops the unfinished line on error', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-#', { a: text('x\ny') }, new Error('reset'));
      expectObservable(source.pipe(lines())).toBe('-l-#', { l: line('x') }, new Error('reset'));
    });
  });

  it('decodes with the given encoding, or the latest of an Observable', () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const art = cold('-a|', { a: raw(0xc9, 0xcd, 0xbb, 0x0a) });
      expectObservable(art.pipe(lines({ encoding: 'cp437' }))).toBe('-l|', { l: line('╔═╗') });
      const encoding = hot<TextEncodingName>('--l', { l: 'latin1' });
      const source = cold('-a--b|', { a: raw(0xc3, 0xa9, 0x0a, 0xc3), b: raw(0xe9, 0x0a) });
      expectObservable(source.pipe(lines({ encoding }))).toBe('-a--b|', { a: line('é'), b: line('\ufffdé') });
    });
  });

  it('cuts lines longer than maxLineLength', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a----b|', { a: text('abcdefg'), b: text('h\n') });
      expectObservable(source.pipe(lines({ maxLineLength: 3 }))).toBe('-(xy)-b|', {
        x: line('abc'),
        y: line('def'),
        b: line('gh'),
      });
    });
  });

  it('makes an unfinished line a Prompt after idlePrompt ms without Data', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a 9ms b 19ms c 9ms |', { a: text('HP'), b: text('> '), c: text('ok\r\n') });
      expectObservable(source.pipe(lines({ idlePrompt: 15, scheduler }))).toBe('- 25ms p 4ms l 9ms |', {
        p: prompt('HP> ', 'Idle'),
        l: line('ok'),
      });
    });
  });

  it('restarts the idle time with each Data event', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a 3ms a 3ms a 3ms a 10ms |', { a: text('.') });
      expectObservable(source.pipe(lines({ idlePrompt: 5, scheduler }))).toBe('- 17ms p 5ms |', {
        p: prompt('....', 'Idle'),
      });
    });
  });

  it('makes no idle Prompt after GA, EOR or a line end took the text', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const options = { idlePrompt: 5, scheduler };
      const ga = cold('-a-g 10ms |', { a: text('> '), g: command(Command.GA) });
      expectObservable(ga.pipe(lines(options))).toBe('---p 10ms |', { p: prompt('> ', 'GA') });
      const eor = cold('-a-e 10ms |', { a: text('> '), e: command(Command.EOR) });
      expectObservable(eor.pipe(lines(options))).toBe('---p 10ms |', { p: prompt('> ', 'EOR') });
      const ended = cold('-a 10ms |', { a: text('done\r\n') });
      expectObservable(ended.pipe(lines(options))).toBe('-l 10ms |', { l: line('done') });
    });
  });

  it('emits an idle Prompt only once for the same text', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a 20ms b 20ms |', { a: text('> '), b: raw() });
      expectObservable(source.pipe(lines({ idlePrompt: 5, scheduler }))).toBe('- 5ms p 36ms |', {
        p: prompt('> ', 'Idle'),
      });
    });
  });

  it('gives each subscription its own line and timer', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const prompts = cold('-a-b 10ms |', { a: text('a'), b: text('b') }).pipe(lines({ idlePrompt: 5, scheduler }));
      expectObservable(prompts).toBe('- 7ms p 5ms |', { p: prompt('ab', 'Idle') });
      expectObservable(prompts, '--^').toBe('-- 8ms p 5ms |', { p: prompt('ab', 'Idle') });
    });
  });
});

/** A virtual-time scheduler that keeps the subscription of every action scheduled on it. */
class RecordingScheduler extends VirtualTimeScheduler {
  readonly scheduled: Subscription[] = [];

  override schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    const subscription = super.schedule(work, delay, state);
    this.scheduled.push(subscription);
    return subscription;
  }
}

describe('lines, idle timer', () => {
  it('cancels the timer on new Data, on GA, on completion and on unsubscribe', () => {
    const timers = new RecordingScheduler();
    const { scheduled } = timers;
    const events = new Subject<TelnetEvent>();
    const subscription = events.pipe(lines({ idlePrompt: 100, scheduler: timers })).subscribe();
    events.next(text('a'));
    events.next(text('b'));
    expect(scheduled.map((timer) => timer.closed)).toEqual([true, false]);
    events.next(command(Command.GA));
    expect(scheduled.map((timer) => timer.closed)).toEqual([true, true]);
    events.next(text('c'));
    expect(scheduled).toHaveLength(3);
    subscription.unsubscribe();
    expect(scheduled.every((timer) => timer.closed)).toBe(true);

    const completing = new Subject<TelnetEvent>();
    completing.pipe(lines({ idlePrompt: 100, scheduler: timers })).subscribe();
    completing.next(text('d'));
    completing.complete();
    expect(scheduled.every((timer) => timer.closed)).toBe(true);
  });

  it.each([{}, { idlePrompt: Infinity }])('schedules nothing with %o', (options) => {
    const timers = new RecordingScheduler();
    const events = new Subject<TelnetEvent>();
    events.pipe(lines({ ...options, scheduler: timers })).subscribe();
    events.next(text('a'));
    expect(timers.scheduled).toHaveLength(0);
  });
});

describe('lines, options', () => {
  it.each([
    ['a negative idlePrompt', { idlePrompt: -1 }],
    ['idlePrompt NaN', { idlePrompt: Number.NaN }],
    ['idlePrompt 0', { idlePrompt: 0 }],
    ['maxLineLength 0', { maxLineLength: 0 }],
    ['maxLineLength NaN', { maxLineLength: Number.NaN }],
  ])('rejects %s', (_, options) => {
    expect(() => lines(options)).toThrow(RangeError);
  });
});
