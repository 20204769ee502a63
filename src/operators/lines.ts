import {
  asyncScheduler,
  Observable,
  type Observer,
  type OperatorFunction,
  type SchedulerLike,
  type Subscriber,
  type Subscription,
} from 'rxjs';
import type { TelnetEvent } from '../codec/events.js';
import { Command } from '../protocol/commands.js';
import type { TextEncodingName } from '../text/encodings.js';
import { followEncoding, type FollowingDecoder } from './follow-encoding.js';
import { emptyLineSplitter, splitLines, unterminatedText, type LineSplitter } from '../text/line-splitter.js';
import { timeoutOption } from '../protocol/durations.js';

/**
 * A unit of text output from {@link lines}: a complete `Line`, or a `Prompt`, text the peer wants shown
 * without a newline, marked by `IAC GA`, `IAC EOR`, or (`'Idle'`) by the peer falling silent.
 *
 * @example
 * ```ts
 * import type { TextLine } from 'rxtelnet';
 * const show = (line: TextLine): string => (line._tag === 'Line' ? `${line.text}\n` : line.text);
 * ```
 */
export type TextLine =
  | { readonly _tag: 'Line'; readonly text: string }
  | { readonly _tag: 'Prompt'; readonly text: string; readonly mark: 'GA' | 'EOR' | 'Idle' };

/**
 * Options of {@link lines}.
 *
 * @example
 * ```ts
 * import type { LinesOptions } from 'rxtelnet';
 * const options: LinesOptions = { encoding: 'latin1', idlePrompt: 250 };
 * ```
 */
export interface LinesOptions {
  /** The encoding of Data, or an Observable of it with the semantics of {@link decodeText}. Default `'utf-8'`. */
  readonly encoding?: TextEncodingName | Observable<TextEncodingName>;
  /**
   * Milliseconds after the last Data event at which an unfinished line becomes a `Prompt` with mark `'Idle'`,
   * for peers that mark no prompts. Default: off (`Infinity`); 0, negative or NaN is a RangeError.
   */
  readonly idlePrompt?: number;
  /** Longest line, in UTF-16 code units; longer lines are cut into several `Line`s. Default 65536. */
  readonly maxLineLength?: number;
  /** Where the idle timer runs. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

const promptMarks: ReadonlyMap<number, 'GA' | 'EOR'> = new Map([
  [Command.GA, 'GA'],
  [Command.EOR, 'EOR'],
]);

/** Checks the options; returns the idle delay (`Infinity`: no idle prompts). */
const checkOptions = (idlePrompt: number | undefined, maxLineLength: number): number => {
  const idle = timeoutOption('lines: idlePrompt', idlePrompt, Infinity);
  if (!(maxLineLength >= 1)) {
    throw new RangeError(`lines: maxLineLength must be at least 1, got ${maxLineLength}`);
  }
  return idle;
};

/**
 * The state of one subscription of {@link lines}: the unfinished line, the decoder and the idle timer. Its steps
 * are methods and it is the source's observer, so that a long-lived subscription (one per connection of a server)
 * holds one object rather than a closure per step. Unsubscribing it stops the idle timer.
 */
class LineReader implements Observer<TelnetEvent> {
  private splitter: LineSplitter = emptyLineSplitter;
  private idleTimer: Subscription | undefined;
  decoder: FollowingDecoder = UNSET_DECODER;

  constructor(
    private readonly subscriber: Subscriber<TextLine>,
    private readonly idle: number,
    private readonly maxLineLength: number,
    private readonly scheduler: SchedulerLike,
  ) {}

  next(event: TelnetEvent): void {
    if (event._tag === 'Data') {
      this.acceptText(this.decoder.decode(event.bytes));
      return;
    }
    const mark = event._tag === 'Command' ? promptMarks.get(event.command) : undefined;
    if (mark !== undefined) this.emitPrompt(mark);
  }

  error(error: unknown): void {
    this.subscriber.error(error);
  }

  complete(): void {
    this.unsubscribe();
    this.emitLines(this.decoder.flush());
    const text = this.takeUnterminated();
    if (text !== '') this.subscriber.next({ _tag: 'Line', text });
    this.subscriber.complete();
  }

  /** Stops the idle timer. */
  unsubscribe(): void {
    this.idleTimer?.unsubscribe();
    this.idleTimer = undefined;
  }

  acceptText(text: string): void {
    this.emitLines(text);
    if (this.idle !== Infinity) this.startIdleTimer(this.idle);
  }

  private takeUnterminated(): string {
    const text = unterminatedText(this.splitter);
    this.splitter = emptyLineSplitter;
    return text;
  }

  private emitPrompt(mark: 'GA' | 'EOR' | 'Idle'): void {
    this.unsubscribe();
    const text = this.takeUnterminated();
    if (text !== '') this.subscriber.next({ _tag: 'Prompt', text, mark });
  }

  private startIdleTimer(delay: number): void {
    this.unsubscribe();
    if (unterminatedText(this.splitter) === '') return;
    this.idleTimer = this.scheduler.schedule(() => {
      this.emitPrompt('Idle');
    }, delay);
  }

  private emitLines(text: string): void {
    const split = splitLines(this.splitter, text, this.maxLineLength);
    this.splitter = split.splitter;
    for (const line of split.lines) this.subscriber.next({ _tag: 'Line', text: line });
  }
}

/** The decoder of a {@link LineReader} before {@link followEncoding} made its own. */
const UNSET_DECODER: FollowingDecoder = { decode: () => '', flush: () => '' };

/**
 * Turns Telnet events into the lines and prompts a MUD or BBS client shows.
 *
 * - `Data` is decoded with `options.encoding` (streaming, as {@link decodeText}) and split into `Line`s at LF,
 *   CR LF, CR NUL or a lone CR (every way a Telnet client sends Enter). See {@link splitLines}.
 * - `Command` GA or EOR turns the unfinished line into a `Prompt` with that mark. No Prompt is emitted when
 *   there is no unfinished text (as after `"> \r\n" IAC GA`).
 * - With `idlePrompt`, an unfinished line that no Data event has followed for that long becomes a `Prompt`
 *   with mark `'Idle'`. The timer restarts with each Data event (and encoding change) and stops on GA/EOR,
 *   completion and unsubscribe.
 * - A line longer than `maxLineLength` is emitted in pieces, each a `Line`; the unfinished line never
 *   holds more than that.
 * - On completion the unfinished line, if any, is emitted as a `Line` (the peer closed after it, so it will
 *   not be continued). On error it is dropped and the error forwarded.
 * - Other events (negotiations, subnegotiations, warnings, other commands) are ignored.
 *
 * Cold: each subscription has its own decoder, line and timer.
 *
 * @throws RangeError when `idlePrompt` is not above 0 (`Infinity`: off), or `maxLineLength` is below 1.
 *
 * @example
 * ```ts
 * import { of } from 'rxjs';
 * import { command, Command, data, lines } from 'rxtelnet';
 * const bytes = (text: string) => new TextEncoder().encode(text);
 * of(data(bytes('Welcome!\r\nName: ')), command(Command.GA))
 *   .pipe(lines())
 *   .subscribe(console.log);
 * // { _tag: 'Line', text: 'Welcome!' }
 * // { _tag: 'Prompt', text: 'Name: ', mark: 'GA' }
 * ```
 */
export const lines = (options: LinesOptions = {}): OperatorFunction<TelnetEvent, TextLine> => {
  const {
    encoding = 'utf-8',
    idlePrompt,
    maxLineLength = DEFAULT_MAX_LINE_LENGTH,
    scheduler = asyncScheduler,
  } = options;
  const idle = checkOptions(idlePrompt, maxLineLength);
  return (source) =>
    new Observable<TextLine>((subscriber) => {
      const reader = new LineReader(subscriber, idle, maxLineLength, scheduler);
      subscriber.add(reader);
      reader.decoder = followEncoding(subscriber, encoding, (text) => {
        reader.acceptText(text);
      });
      if (subscriber.closed) return;
      subscriber.add(source.subscribe(reader));
    });
};
