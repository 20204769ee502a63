/**
 * Expect-style dialogues over a connection, for scripts that log in to devices and servers and run commands:
 * wait for a prompt, send a line, collect the output up to the next prompt.
 */
import {
  asyncScheduler,
  isObservable,
  Observable,
  type SchedulerLike,
  type Subscriber,
  type Subscription,
  timer,
} from 'rxjs';
import { ExpectClosedError, ExpectTimeoutError, LoginFailedError } from '../negotiation/errors.js';
import { decodeText } from '../operators/decodeText.js';
import type { TelnetConnection } from '../session/connection.js';
import type { TextEncodingName } from '../text/encodings.js';
import { encodeString } from '../text/encoder.js';
import { findFirstMatch, type TextPattern } from '../text/patterns.js';
import { screenLines } from '../text/screen-text.js';
import { timeoutOption } from '../protocol/durations.js';

/**
 * How a dialogue reads and writes.
 *
 * @example
 * ```ts
 * import type { ExpectOptions } from 'rxtelnet';
 * const options: ExpectOptions = { encoding: 'latin1', timeout: 30_000 };
 * ```
 */
export interface ExpectOptions {
  /**
   * The text encoding of both directions: a name, or an Observable such as `agreedEncoding(connection, ...)`
   * (each value applies to what follows). Default `'utf-8'`.
   */
  readonly encoding?: TextEncodingName | Observable<TextEncodingName>;
  /** How long each wait lasts by default, in ms; `Infinity` waits for ever. Default 10 000. */
  readonly timeout?: number;
  /**
   * The most characters of unmatched text kept; older text is dropped (and missing from `before` and
   * `received`). Default 1 048 576.
   */
  readonly maxBuffered?: number;
  /** Where timers run; default rxjs's `asyncScheduler` (tests pass a `TestScheduler`). */
  readonly scheduler?: SchedulerLike;
}

/**
 * What {@link Expect.expect} found: which alternative matched (`index` into the patterns), the matched text
 * and its capture groups, and the text that came before it (since the previous match).
 *
 * @example
 * ```ts
 * import type { ExpectMatch } from 'rxtelnet';
 * const banner = (found: ExpectMatch): string => found.before;
 * ```
 */
export interface ExpectMatch {
  readonly index: number;
  readonly match: string;
  readonly groups: readonly (string | undefined)[];
  readonly before: string;
}

/**
 * How {@link Expect.exec} knows a command's output is complete.
 *
 * @example
 * ```ts
 * import type { ExecOptions } from 'rxtelnet';
 * const cisco: ExecOptions = { prompt: /\S+[>#] ?$/, pager: { prompt: / --More-- ?/, answer: ' ' } };
 * ```
 */
export interface ExecOptions {
  /** The prompt (or prompts) that follow the output. Without it, `quiet` must be given. */
  readonly prompt?: TextPattern | readonly TextPattern[];
  /** With no prompt seen, the output ends when the peer has been silent this long (ms). */
  readonly quiet?: number;
  /** A pager prompt to answer (default answer: a space) until the real prompt comes; it is left out of the output. */
  readonly pager?: { readonly prompt: TextPattern; readonly answer?: string };
  /** How long each wait lasts, in ms; default the dialogue's timeout. */
  readonly timeout?: number;
}

/**
 * What {@link Expect.login} sends and waits for. The default prompts match `login:`, `Username:`, `User:` and
 * `Password:` case-insensitively at the end of the text; the default failure matches `Login incorrect`,
 * `Authentication failed`, `Access denied`, `Invalid password` and the like.
 *
 * @example
 * ```ts
 * import type { LoginOptions } from 'rxtelnet';
 * const login: LoginOptions = { user: 'admin', password: 'secret', prompt: /router[>#] ?$/ };
 * ```
 */
export interface LoginOptions {
  readonly user: string;
  readonly password: string;
  /** The shell or device prompt that shows the login succeeded. */
  readonly prompt: TextPattern | readonly TextPattern[];
  readonly userPrompt?: TextPattern;
  readonly passwordPrompt?: TextPattern;
  readonly failure?: TextPattern;
  /** With no prompt at all after this long (ms), send an empty line once to wake the peer up; `false`: never. Default 2 000. */
  readonly wakeUp?: number | false;
  /** How long each wait lasts, in ms; default the dialogue's timeout. */
  readonly timeout?: number;
}

/**
 * A text dialogue over a connection. `expect`, `exec` and `login` are cold Observables that run one at a
 * time, in the order they were subscribed; `send` and `sendLine` write at once.
 *
 * @example
 * ```ts
 * import { createConnection, createExpect } from 'rxtelnet';
 * import type { Expect, Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const dialogue: Expect = createExpect(createConnection(transport));
 * dialogue.expect(/\$ $/).subscribe(() => dialogue.sendLine('uptime'));
 * ```
 */
export interface Expect {
  /**
   * Waits for the first of `patterns` in the text received since the last match; emits what matched and
   * completes, consuming the text through the match. Errors with {@link ExpectTimeoutError} after `timeout`
   * and with {@link ExpectClosedError} when the connection closes first.
   */
  expect(
    patterns: TextPattern | readonly TextPattern[],
    options?: { readonly timeout?: number },
  ): Observable<ExpectMatch>;
  /** Writes `text` in the dialogue's encoding; returns what the connection's `write` returns. */
  send(text: string): boolean;
  /** Writes `text` and a newline (sent as CR LF, as the connection sends newlines). */
  sendLine(text: string): boolean;
  /**
   * Sends `command` as a line and emits its output, as lines joined with `\n`: the text up to the next prompt,
   * without the echoed command, the prompt, pager prompts, escape sequences and control characters. Text
   * received before the command was sent (such as a repeated prompt) is dropped first, so an old prompt cannot
   * end the output early.
   */
  exec(command: string, options: ExecOptions): Observable<string>;
  /** Logs in: answers the user and password prompts, then waits for `prompt`; emits that match (its `before` is the banner). */
  login(options: LoginOptions): Observable<ExpectMatch>;
  /** The text received since the last match, not consumed yet. */
  readonly received: string;
  /** Stops reading the connection; waits still queued error with {@link ExpectClosedError}. */
  close(): void;
}

const DEFAULT_TIMEOUT = 10_000;
const DEFAULT_MAX_BUFFERED = 1024 * 1024;
const DEFAULT_WAKE_UP = 2_000;
const defaultUserPrompt = /(?:login|user ?name|user)\s*:\s*$/i;
const defaultPasswordPrompt = /password\s*:\s*$/i;
const defaultFailure =
  /login incorrect|authentication failed|access denied|invalid (?:login|password|user)|bad password/i;

const patternList = (patterns: TextPattern | readonly TextPattern[]): readonly TextPattern[] =>
  typeof patterns === 'string' || patterns instanceof RegExp ? [patterns] : patterns;

/**
 * The output of a command as screen lines: without the echoed command and, when a prompt ended it, without the
 * line the prompt sits on (the text after the last newline is the start of the prompt's line).
 */
const commandOutput = (text: string, command: string, endedByPrompt: boolean): string => {
  const lines = screenLines(text);
  if (lines[0]?.trim() === command.trim()) lines.shift();
  if (lines.length > 0 && (endedByPrompt || lines[lines.length - 1] === '')) lines.pop();
  return lines.join('\n');
};

/** One queued operation: `start` runs when it reaches the head of the queue, `fail` when the dialogue ends. */
interface Job {
  readonly start: () => void;
  readonly fail: (error: Error) => void;
}

/** The wait in progress: its patterns and what to do on a match, a timeout, or a quiet peer. */
interface Waiting {
  readonly patterns: readonly TextPattern[];
  readonly matched: (found: ExpectMatch) => void;
  readonly failed: (error: Error) => void;
  readonly timer: Subscription | undefined;
  readonly quiet: { readonly after: number; readonly elapsed: () => void } | undefined;
  quietTimer: Subscription | undefined;
}

class Dialogue implements Expect {
  private buffer = '';
  private readonly queue: Job[] = [];
  private waiting: Waiting | undefined;
  private ended = false;
  private encoding: TextEncodingName = 'utf-8';
  private readonly reading: Subscription;
  private following: Subscription | undefined;
  private readonly timeout: number;
  private readonly maxBuffered: number;
  private readonly scheduler: SchedulerLike;

  constructor(
    private readonly connection: TelnetConnection,
    options: ExpectOptions,
  ) {
    this.timeout = timeoutOption('timeout', options.timeout, DEFAULT_TIMEOUT);
    this.maxBuffered = options.maxBuffered ?? DEFAULT_MAX_BUFFERED;
    this.scheduler = options.scheduler ?? asyncScheduler;
    const encoding = options.encoding ?? 'utf-8';
    // What we send follows the same encoding as what we read.
    if (isObservable(encoding)) {
      this.following = encoding.subscribe((name) => {
        this.encoding = name;
      });
    } else this.encoding = encoding;
    this.reading = connection.data$.pipe(decodeText(encoding)).subscribe({
      next: (text) => {
        this.receive(text);
      },
      complete: () => {
        this.end();
      },
      error: () => {
        this.end();
      },
    });
  }

  get received(): string {
    return this.buffer;
  }

  send(text: string): boolean {
    return this.connection.write(encodeString(text, this.encoding));
  }

  sendLine(text: string): boolean {
    return this.send(`${text}\n`);
  }

  close(): void {
    this.reading.unsubscribe();
    this.following?.unsubscribe();
    this.end();
  }

  expect(
    patterns: TextPattern | readonly TextPattern[],
    options: { readonly timeout?: number } = {},
  ): Observable<ExpectMatch> {
    const list = patternList(patterns);
    const timeout = this.timeoutOf(options.timeout);
    return this.queued<ExpectMatch>((subscriber, done) => {
      this.wait(list, timeout, (found) => {
        done(() => {
          subscriber.next(found);
          subscriber.complete();
        });
      });
    });
  }

  exec(command: string, options: ExecOptions): Observable<string> {
    const prompts = options.prompt === undefined ? [] : patternList(options.prompt);
    if (prompts.length === 0 && options.quiet === undefined) {
      throw new RangeError('exec needs a prompt to wait for, or quiet');
    }
    const quiet = options.quiet === undefined ? undefined : timeoutOption('quiet', options.quiet, Infinity);
    const timeout = this.timeoutOf(options.timeout);
    const pager = options.pager;
    return this.queued<string>((subscriber, done) => {
      const pages: string[] = [];
      const finish = (endedByPrompt: boolean): void => {
        done(() => {
          subscriber.next(commandOutput(pages.join(''), command, endedByPrompt));
          subscriber.complete();
        });
      };
      const next = (): void => {
        this.wait(
          pager === undefined ? prompts : [...prompts, pager.prompt],
          timeout,
          (found) => {
            pages.push(found.before);
            if (pager !== undefined && found.index === prompts.length) {
              this.send(pager.answer ?? ' ');
              next();
            } else finish(true);
          },
          quiet === undefined
            ? undefined
            : {
                after: quiet,
                elapsed: () => {
                  pages.push(this.take(this.buffer.length));
                  finish(false);
                },
              },
        );
      };
      this.buffer = '';
      this.sendLine(command);
      next();
    });
  }

  login(options: LoginOptions): Observable<ExpectMatch> {
    const prompts = patternList(options.prompt);
    const userPrompt = options.userPrompt ?? defaultUserPrompt;
    const passwordPrompt = options.passwordPrompt ?? defaultPasswordPrompt;
    const failure = options.failure ?? defaultFailure;
    const timeout = this.timeoutOf(options.timeout);
    const wakeUp = options.wakeUp === false ? undefined : timeoutOption('wakeUp', options.wakeUp, DEFAULT_WAKE_UP);
    return this.queued<ExpectMatch>((subscriber, done) => {
      const loggedIn = (found: ExpectMatch): void => {
        done(() => {
          subscriber.next(found);
          subscriber.complete();
        });
      };
      const refused = (found: ExpectMatch): void => {
        done(() => {
          subscriber.error(new LoginFailedError(found.before + found.match));
        });
      };
      // The shell prompt counts only after the password was sent: a banner may look like one.
      const afterPassword = (): void => {
        this.wait([...prompts, failure, userPrompt], timeout, (found) => {
          if (found.index < prompts.length) loggedIn(found);
          else refused(found);
        });
      };
      const password = (): void => {
        this.sendLine(options.password);
        afterPassword();
      };
      const afterUser = (): void => {
        this.wait([passwordPrompt, failure, ...prompts], timeout, (found) => {
          if (found.index === 0) password();
          else if (found.index === 1) refused(found);
          else loggedIn(found);
        });
      };
      const first = [userPrompt, passwordPrompt, ...prompts];
      const onFirst = (found: ExpectMatch): void => {
        if (found.index === 0) {
          this.sendLine(options.user);
          afterUser();
        } else if (found.index === 1) password();
        else loggedIn(found);
      };
      if (wakeUp === undefined || wakeUp >= timeout) this.wait(first, timeout, onFirst);
      else
        this.wait(first, timeout, onFirst, {
          after: wakeUp,
          elapsed: () => {
            this.sendLine('');
            this.wait(first, timeout - wakeUp, onFirst);
          },
        });
    });
  }

  private timeoutOf(timeout: number | undefined): number {
    return timeoutOption('timeout', timeout, this.timeout);
  }

  /**
   * A cold Observable whose `run` starts when it reaches the head of the queue; `done(deliver)` leaves the queue,
   * then delivers, then starts the next operation (so a value is delivered before the next operation can match).
   */
  private queued<T>(run: (subscriber: Subscriber<T>, done: (deliver: () => void) => void) => void): Observable<T> {
    return new Observable<T>((subscriber) => {
      let started = false;
      let finished = false;
      const job: Job = {
        start: () => {
          // A job subscribed while the one before delivered is started once, by whichever comes first.
          if (started) return;
          started = true;
          run(subscriber, (deliver) => {
            finished = true;
            this.leave(job);
            deliver();
            this.startNext();
          });
        },
        fail: (error) => {
          finished = true;
          subscriber.error(error);
        },
      };
      this.queue.push(job);
      if (this.ended) this.failAll();
      else if (this.queue.length === 1) job.start();
      return () => {
        if (finished) return;
        const active = this.queue[0] === job;
        this.leave(job);
        if (active) {
          this.stopWaiting();
          this.startNext();
        }
      };
    });
  }

  private leave(job: Job): void {
    const index = this.queue.indexOf(job);
    if (index !== -1) this.queue.splice(index, 1);
  }

  private startNext(): void {
    if (this.ended) this.failAll();
    else this.queue[0]?.start();
  }

  /** Waits for `patterns` on behalf of the job at the head of the queue; a timeout fails that job. */
  private wait(
    patterns: readonly TextPattern[],
    timeout: number,
    matched: (found: ExpectMatch) => void,
    quiet?: { readonly after: number; readonly elapsed: () => void },
  ): void {
    const job = this.queue[0];
    const failed = (error: Error): void => {
      if (job === undefined) return;
      this.leave(job);
      job.fail(error);
      this.startNext();
    };
    const timer$ =
      timeout === Infinity
        ? undefined
        : timer(timeout, this.scheduler).subscribe(() => {
            this.stopWaiting();
            failed(new ExpectTimeoutError(timeout, this.buffer));
          });
    this.waiting = { patterns, matched, failed, timer: timer$, quiet, quietTimer: undefined };
    this.armQuiet();
    this.check();
  }

  private armQuiet(): void {
    const waiting = this.waiting;
    if (waiting?.quiet === undefined) return;
    waiting.quietTimer?.unsubscribe();
    const { after, elapsed } = waiting.quiet;
    if (after === Infinity) return;
    waiting.quietTimer = timer(after, this.scheduler).subscribe(() => {
      this.stopWaiting();
      elapsed();
    });
  }

  private stopWaiting(): void {
    this.waiting?.timer?.unsubscribe();
    this.waiting?.quietTimer?.unsubscribe();
    this.waiting = undefined;
  }

  private take(length: number): string {
    const taken = this.buffer.slice(0, length);
    this.buffer = this.buffer.slice(length);
    return taken;
  }

  private check(): void {
    const waiting = this.waiting;
    if (waiting === undefined) return;
    const found = findFirstMatch(this.buffer, waiting.patterns);
    if (found === undefined) return;
    this.stopWaiting();
    const before = this.take(found.start);
    this.take(found.match.length);
    waiting.matched({ index: found.index, match: found.match, groups: found.groups, before });
  }

  private receive(text: string): void {
    // NUL is a no-operation in NVT text (RFC 854): devices send it as padding, even before a prompt.
    this.buffer += text.replaceAll('\u0000', '');
    if (this.buffer.length > this.maxBuffered) this.buffer = this.buffer.slice(this.buffer.length - this.maxBuffered);
    this.armQuiet();
    this.check();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.following?.unsubscribe();
    this.check();
    const waiting = this.waiting;
    this.stopWaiting();
    if (waiting !== undefined) waiting.failed(new ExpectClosedError(this.buffer));
    this.failAll();
  }

  private failAll(): void {
    for (const job of this.queue.splice(0)) job.fail(new ExpectClosedError(this.buffer));
  }
}

/**
 * A text dialogue over `connection` ({@link Expect}): it starts reading the connection's data at once, so the
 * text that arrives from then on is there for the first `expect`.
 *
 * @example
 * ```ts
 * import { concat } from 'rxjs';
 * import { createConnection, createExpect } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const dialogue = createExpect(createConnection(transport), { timeout: 15_000 });
 * concat(
 *   dialogue.login({ user: 'admin', password: 'secret', prompt: /router[>#] ?$/ }),
 *   dialogue.exec('show version', { prompt: /router[>#] ?$/, pager: { prompt: ' --More-- ' } }),
 * ).subscribe({ next: console.log, error: (error: unknown) => console.error(error) });
 * ```
 */
export const createExpect = (connection: TelnetConnection, options: ExpectOptions = {}): Expect =>
  new Dialogue(connection, options);
