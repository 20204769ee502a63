import { asyncScheduler, defer, type Observable, ReplaySubject, type SchedulerLike, type Subscription } from 'rxjs';
import { encodeEvent, encodeNegotiation } from '../codec/encoder.js';
import type { NegotiationEvent, NegotiationVerb, TelnetEvent } from '../codec/events.js';
import { createDecoder, decodeChunk } from '../codec/parser.js';
import { ScriptMismatchError, ScriptTimeoutError } from '../negotiation/errors.js';
import { initialSide, type QSide, type Side, sideOf, stepQ } from '../negotiation/q-method.js';
import { optionName } from '../protocol/options.js';
import { createMemoryTransports } from '../transport/memory.js';
import type { Transport } from '../transport/types.js';
import { describeBytes } from './describe-bytes.js';
import type { PeerProfile } from './profiles.js';
import { timeoutOption } from '../protocol/durations.js';
import type { PeerStep } from './steps.js';

/**
 * Options of {@link scriptedPeer}.
 *
 * @example
 * ```ts
 * import { mudServer, type ScriptedPeerOptions } from 'rxtelnet/testing';
 * const options: ScriptedPeerOptions = { answers: mudServer, timeout: 2000 };
 * ```
 */
export interface ScriptedPeerOptions {
  /** How the peer negotiates (its offers and its answers). Default: it sends no offers and answers nothing. */
  readonly answers?: PeerProfile;
  /** How long each expect step waits by default, in ms; `Infinity` waits for ever. Default 5000. */
  readonly timeout?: number;
  /** Where the peer's deliveries, waits and timeouts run. Default `asyncScheduler` (virtual inside `TestScheduler.run`). */
  readonly scheduler?: SchedulerLike;
}

/**
 * What a scripted peer saw once its script ran to the end: every non-negotiation byte the connection sent
 * (`received`), those no step consumed (`unread`), and every negotiation it sent, in order.
 *
 * @example
 * ```ts
 * import type { PeerReport } from 'rxtelnet/testing';
 * const negotiated = (report: PeerReport): number => report.negotiations.length;
 * ```
 */
export interface PeerReport {
  readonly received: Uint8Array;
  readonly unread: Uint8Array;
  readonly negotiations: readonly NegotiationEvent[];
}

/**
 * A peer that plays a script over an in-memory transport. Give `transport` to `createConnection`; the script
 * starts when the connection starts reading. `done` emits the {@link PeerReport} and completes when the last
 * step ran, or errors with a `ScriptMismatchError` or `ScriptTimeoutError` (the peer then closes its side, so
 * the connection ends too). `check()` returns the report, or throws what failed (or a `ScriptMismatchError`
 * naming the step still waiting), for runners that assert synchronously.
 *
 * @example
 * ```ts
 * import { scriptedPeer, sendText, expectText } from 'rxtelnet/testing';
 * const peer = scriptedPeer([sendText('login: '), expectText('admin\r\n')]);
 * peer.done.subscribe({ error: (error: unknown) => console.error(error) });
 * ```
 */
export interface ScriptedPeer {
  readonly transport: Transport;
  readonly done: Observable<PeerReport>;
  check(): PeerReport;
}

const DEFAULT_TIMEOUT = 5000;
const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

const concat = (left: Uint8Array, right: Uint8Array): Uint8Array => {
  const joined = new Uint8Array(left.length + right.length);
  joined.set(left);
  joined.set(right, left.length);
  return joined;
};

const describeStep = (step: PeerStep): { readonly kind: string; readonly expected: string } => {
  switch (step._tag) {
    case 'ExpectBytes':
      return { kind: step.kind, expected: describeBytes(step.bytes) };
    case 'ExpectMatch':
      return { kind: 'expectMatch', expected: String(step.pattern) };
    case 'ExpectNegotiation':
      return { kind: 'expectNegotiation', expected: `IAC ${step.verb} ${optionName(step.option)}` };
    case 'ExpectClosed':
      return { kind: 'expectClosed', expected: 'the connection closing' };
    default:
      return { kind: step._tag, expected: '' };
  }
};

/** The peer's side of the negotiation: the Q method of the library, with the profile as its policy. */
class PeerNegotiator {
  private readonly sides = new Map<string, QSide>();

  constructor(
    private readonly profile: PeerProfile,
    private readonly write: (bytes: Uint8Array) => void,
  ) {}

  received(event: NegotiationEvent): void {
    const side = sideOf(event.verb);
    const accept =
      side === 'local' ? this.profile.policy.local(event.option) : this.profile.policy.remote(event.option);
    this.apply(side, event.option, { _tag: 'Received', verb: event.verb }, accept);
  }

  ask(verb: NegotiationVerb, option: number): void {
    const side: Side = verb === 'WILL' || verb === 'WONT' ? 'local' : 'remote';
    this.apply(side, option, { _tag: 'Ask', enable: verb === 'WILL' || verb === 'DO' }, false);
  }

  private apply(side: Side, option: number, input: Parameters<typeof stepQ>[2], accept: boolean): void {
    const key = `${side}:${option}`;
    const next = stepQ(side, this.sides.get(key) ?? initialSide, input, accept);
    this.sides.set(key, next.side);
    for (const effect of next.effects) if (effect._tag === 'Send') this.write(encodeNegotiation(effect.verb, option));
  }
}

class Script {
  private readonly report = new ReplaySubject<PeerReport>(1);
  private readonly decoder = createDecoder();
  private readonly negotiator: PeerNegotiator | undefined;
  private readonly timeout: number;
  private readonly scheduler: SchedulerLike;
  private received: Uint8Array = new Uint8Array(0);
  private cursor = 0;
  private readonly negotiations: NegotiationEvent[] = [];
  private readonly pendingNegotiations: NegotiationEvent[] = [];
  private index = 0;
  private started = false;
  private finished = false;
  private failure: Error | undefined;
  private inputEnded = false;
  private timer: Subscription | undefined;
  private waiting = false;
  private reading: Subscription | undefined;
  private readonly offers: readonly (readonly [NegotiationVerb, number])[];
  readonly transport: Transport;

  constructor(
    private readonly steps: readonly PeerStep[],
    private readonly own: Transport,
    connectionSide: Transport,
    options: ScriptedPeerOptions,
  ) {
    this.timeout = timeoutOption('timeout', options.timeout, DEFAULT_TIMEOUT);
    this.scheduler = options.scheduler ?? asyncScheduler;
    const profile = options.answers;
    this.offers = profile?.offers ?? [];
    this.negotiator =
      profile === undefined ? undefined : new PeerNegotiator(profile, (bytes) => void this.own.write(bytes));
    this.transport = {
      ...connectionSide,
      input: defer(() => {
        this.start();
        return connectionSide.input;
      }),
    };
  }

  get done(): Observable<PeerReport> {
    return this.report.asObservable();
  }

  check(): PeerReport {
    if (this.failure !== undefined) throw this.failure;
    if (this.finished) return this.result();
    const step = this.steps[this.index];
    const { kind, expected } = step === undefined ? { kind: 'start', expected: '' } : describeStep(step);
    throw new ScriptMismatchError(
      this.index + 1,
      kind,
      expected || 'the script to start (nothing read the transport)',
      `${this.unreadDescription()} (the script had not finished when checked)`,
    );
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.reading = this.own.input.subscribe({
      next: (chunk) => {
        this.receive(chunk);
      },
      complete: () => {
        this.inputEnded = true;
        this.advance();
      },
      error: () => {
        this.inputEnded = true;
        this.advance();
      },
    });
    for (const [verb, option] of this.offers) this.negotiator?.ask(verb, option);
    this.advance();
  }

  private receive(chunk: Uint8Array): void {
    const parts: Uint8Array[] = [];
    decodeChunk(this.decoder, chunk, (event: TelnetEvent) => {
      if (event._tag === 'Negotiation') {
        this.negotiations.push(event);
        this.pendingNegotiations.push(event);
        this.negotiator?.received(event);
      } else if (event._tag !== 'Warning') parts.push(encodeEvent(event));
    });
    for (const part of parts) this.received = concat(this.received, part);
    this.advance();
  }

  private unread(): Uint8Array {
    return this.received.subarray(this.cursor);
  }

  private unreadDescription(): string {
    const unread = this.unread();
    const shown = describeBytes(unread.subarray(0, 256));
    return unread.length > 256 ? `${shown} ... (${unread.length} bytes)` : shown;
  }

  private result(): PeerReport {
    return {
      received: this.received.slice(),
      unread: this.unread().slice(),
      negotiations: [...this.negotiations],
    };
  }

  private fail(error: Error): void {
    this.failure = error;
    this.stopTimer();
    this.reading?.unsubscribe();
    this.own.close();
    this.report.error(error);
  }

  private stopTimer(): void {
    this.timer?.unsubscribe();
    this.timer = undefined;
  }

  /** Runs steps until one has to wait (for input, its timeout or a pause) or the script ends. */
  private advance(): void {
    while (!this.finished && this.failure === undefined && !this.waiting) {
      const step = this.steps[this.index];
      if (step === undefined) {
        this.finished = true;
        this.stopTimer();
        this.report.next(this.result());
        this.report.complete();
        return;
      }
      const outcome = this.run(step);
      if (outcome === 'wait') {
        if (this.timer === undefined && 'timeout' in step) this.armTimeout(step);
        return;
      }
      this.stopTimer();
      if (outcome === 'failed') return;
      this.index++;
    }
  }

  private armTimeout(step: PeerStep & { readonly timeout: number | undefined }): void {
    const timeout = step.timeout ?? this.timeout;
    if (timeout === Infinity) return;
    const { kind, expected } = describeStep(step);
    const number = this.index + 1;
    this.timer = this.scheduler.schedule(() => {
      this.fail(new ScriptTimeoutError(number, kind, expected, timeout, this.unreadDescription()));
    }, timeout);
  }

  private mismatch(step: PeerStep, received: string): 'failed' {
    const { kind, expected } = describeStep(step);
    this.fail(new ScriptMismatchError(this.index + 1, kind, expected, received));
    return 'failed';
  }

  private run(step: PeerStep): 'next' | 'wait' | 'failed' {
    const unread = this.unread();
    const closedNote = this.inputEnded ? ', then the connection closed' : '';
    switch (step._tag) {
      case 'Send':
        this.own.write(step.bytes);
        return 'next';
      case 'Negotiate':
        if (this.negotiator === undefined) this.own.write(encodeNegotiation(step.verb, step.option));
        else this.negotiator.ask(step.verb, step.option);
        return 'next';
      case 'Close':
        this.own.close();
        return 'next';
      case 'Wait':
        this.waiting = true;
        this.scheduler.schedule(() => {
          this.waiting = false;
          this.index++;
          this.advance();
        }, step.ms);
        return 'wait';
      case 'ExpectBytes': {
        const length = Math.min(unread.length, step.bytes.length);
        for (let at = 0; at < length; at++) {
          if (unread[at] !== step.bytes[at])
            return this.mismatch(step, `${this.unreadDescription()} (differs at byte ${at})`);
        }
        if (unread.length >= step.bytes.length) {
          this.cursor += step.bytes.length;
          return 'next';
        }
        return this.inputEnded ? this.mismatch(step, `${this.unreadDescription()}${closedNote}`) : 'wait';
      }
      case 'ExpectMatch': {
        const found = step.pattern.exec(latin1(unread));
        if (found !== null) {
          this.cursor += found.index + found[0].length;
          return 'next';
        }
        return this.inputEnded ? this.mismatch(step, `${this.unreadDescription()}${closedNote}`) : 'wait';
      }
      case 'ExpectNegotiation': {
        const at = this.pendingNegotiations.findIndex((seen) => seen.verb === step.verb && seen.option === step.option);
        if (at !== -1) {
          this.pendingNegotiations.splice(at, 1);
          return 'next';
        }
        if (!this.inputEnded) return 'wait';
        const seen = this.pendingNegotiations.map((event) => `IAC ${event.verb} ${optionName(event.option)}`);
        return this.mismatch(step, `${seen.length === 0 ? 'no negotiation' : seen.join(', ')}${closedNote}`);
      }
      case 'ExpectClosed':
        if (unread.length > 0) return this.mismatch(step, this.unreadDescription());
        return this.inputEnded ? 'next' : 'wait';
    }
  }
}

/**
 * A peer that plays `steps` in order against the connection given its `transport` ({@link ScriptedPeer}).
 * Received negotiations are matched apart from the other bytes (see `expectNegotiation`); with `answers` the
 * peer also sends that profile's offers at the start and answers every negotiation as it would. An expect step
 * that does not match fails at once; one that waits longer than its timeout fails with `ScriptTimeoutError`.
 *
 * @example
 * ```ts
 * import { createConnection, createExpect } from 'rxtelnet';
 * import { compliantPeer, expectText, scriptedPeer, sendText } from 'rxtelnet/testing';
 *
 * const peer = scriptedPeer([sendText('$ '), expectText('uptime\r\n'), sendText('up 3 days\n$ ')], {
 *   answers: compliantPeer,
 * });
 * const dialogue = createExpect(createConnection(peer.transport));
 * dialogue.exec('uptime', { prompt: '$ ' }).subscribe((output) => console.log(output)); // 'up 3 days'
 * ```
 */
export const scriptedPeer = (steps: readonly PeerStep[], options: ScriptedPeerOptions = {}): ScriptedPeer => {
  const [connectionSide, own] = createMemoryTransports({ scheduler: options.scheduler ?? asyncScheduler });
  const script = new Script(steps, own, connectionSide, options);
  return { transport: script.transport, done: script.done, check: () => script.check() };
};
