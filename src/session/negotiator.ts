/**
 * The negotiation bookkeeping of one connection: the RFC 1143 Q state of every option on both sides, the user
 * requests waiting for the peer's answer, and the storm guard. Plain state and plain callbacks, no RxJS: the
 * connection wires it to the wire and to its streams.
 *
 * @module
 */
import type { NegotiationVerb } from '../codec/events.js';
import type { NegotiationPolicy } from '../negotiation/policy.js';
import { initialSide, isEnabled, sideOf, stepQ } from '../negotiation/q-method.js';
import { TelnetOption } from '../protocol/options.js';
import type { QEffect, QInput, QSide, Side } from '../negotiation/q-method.js';

/** How a user request ended, as told to the request's listener. */
export type RequestOutcome =
  | { readonly _tag: 'Agreed' }
  | { readonly _tag: 'Refused' }
  | { readonly _tag: 'Rejected'; readonly reason: 'AlreadyEnabled' | 'AlreadyDisabled' | 'AlreadyNegotiating' }
  | { readonly _tag: 'Closed' };

/** Told once how a request ended. */
type RequestListener = (outcome: RequestOutcome) => void;

/**
 * A user request that the Q method accepted: the one in flight (first in its side's queue) or the one queued
 * behind it. Every subscription that asked for it listens; the one in flight stays here when nobody listens any
 * more (unsubscribed or timed out), so that a late answer settles it and a later ask the same way joins it.
 */
interface PendingRequest {
  readonly enable: boolean;
  readonly listeners: Set<RequestListener>;
  /** How often the request was sent again for a later ask, since it first went out. */
  resends: number;
}

interface OptionEntry {
  local: QSide;
  remote: QSide;
  /**
   * The requests of each side, the one in flight first: absent while there is none (most options of a long-lived
   * connection never have one again once negotiated, and an array per side would stay allocated for nothing).
   */
  localQueue: PendingRequest[] | undefined;
  remoteQueue: PendingRequest[] | undefined;
  /** How many of the peer's messages about this option we answered in the current storm window. */
  answers: number;
  windowStart: number;
  locked: boolean;
}

/** What the negotiator asks of its owner. */
export interface NegotiatorHooks {
  /** Put `IAC verb option` on the wire. */
  readonly send: (verb: NegotiationVerb, option: number) => void;
  /** The effective state of `option` on `side` changed. */
  readonly changed: (option: number, side: Side, enabled: boolean) => void;
  /** A recoverable anomaly: a protocol violation by the peer or a negotiation storm. */
  readonly warn: (code: 'NegotiationViolation' | 'NegotiationStorm', detail: string) => void;
  /** The current time in milliseconds (the connection's scheduler). */
  readonly now: () => number;
}

/**
 * Limits that keep a hostile peer from making us loop or answer without end.
 *
 * @example
 * ```ts
 * import { createConnection } from 'rxtelnet';
 * import type { StormLimits, Transport } from 'rxtelnet';
 * declare const transport: Transport;
 * const strict: StormLimits = { maxAnswers: 8, windowMs: 5000 };
 * createConnection(transport, { stormLimits: strict });
 * ```
 */
export interface StormLimits {
  /** How many of the peer's messages about one option we answer within one window before we stop answering it. */
  readonly maxAnswers: number;
  /** The window, in milliseconds; a locked option is unlocked once a whole window passes quietly. */
  readonly windowMs: number;
}

/**
 * The default {@link StormLimits}: 32 answers per option per second.
 *
 * @example
 * ```ts
 * import { DEFAULT_STORM_LIMITS } from 'rxtelnet';
 * const relaxed = { ...DEFAULT_STORM_LIMITS, maxAnswers: 128 };
 * ```
 */
export const DEFAULT_STORM_LIMITS: StormLimits = { maxAnswers: 32, windowMs: 1000 };

/** How often one request in flight is sent again, by default, for asks made after its askers gave up. */
export const DEFAULT_MAX_RESENDS = 3;

/**
 * Options that are never "on": TIMING-MARK (RFC 860) is a question and its answer. Agreement settles the request
 * and the side goes back to NO at once, unseen by the option state streams, so that the next `DO TM` is answered
 * again (as BSD telnetd does) and the next `do(TelnetOption.TM)` is sent again.
 */
const ONE_SHOT_OPTIONS: ReadonlySet<number> = new Set([TelnetOption.TM]);

const NEGOTIATION_DETAIL = (option: number, detail: string): string => `option ${option}: ${detail}`;

/** The Q method for every option of one connection, with the requests waiting on it. */
export class Negotiator {
  private readonly options = new Map<number, OptionEntry>();

  constructor(
    private readonly hooks: NegotiatorHooks,
    public policy: NegotiationPolicy,
    private readonly limits: StormLimits = DEFAULT_STORM_LIMITS,
    private readonly maxResends: number = DEFAULT_MAX_RESENDS,
  ) {}

  /** Whether `option` is in effect on `side` (YES, or WANTNO until the peer confirms). */
  isEnabled(side: Side, option: number): boolean {
    const entry = this.options.get(option);
    return entry !== undefined && isEnabled(entry[side]);
  }

  /** Whether a request of ours is waiting for the peer's answer (an option in WANTYES or WANTNO). */
  negotiating(): boolean {
    for (const entry of this.options.values()) {
      if (entry.local.state.startsWith('WANT') || entry.remote.state.startsWith('WANT')) return true;
    }
    return false;
  }

  /** How many options have been negotiated (or asked about) so far. */
  get size(): number {
    return this.options.size;
  }

  /**
   * Every option that has been negotiated, with its effective state on both sides; only the first `count` of
   * them (in the order they were first negotiated) when given.
   */
  snapshot(count = Infinity): ReadonlyMap<number, { readonly local: boolean; readonly remote: boolean }> {
    const states = new Map<number, { readonly local: boolean; readonly remote: boolean }>();
    for (const [option, entry] of this.options) {
      if (states.size >= count) break;
      states.set(option, { local: isEnabled(entry.local), remote: isEnabled(entry.remote) });
    }
    return states;
  }

  /** Handles `IAC verb option` from the peer. */
  receive(verb: NegotiationVerb, option: number): void {
    const entry = this.entry(option);
    if (this.stormGuard(entry, option)) return;
    const side = sideOf(verb);
    const accept = side === 'local' ? this.policy.local(option) : this.policy.remote(option);
    const effects = this.step(entry, option, side, { _tag: 'Received', verb }, accept);
    if (effects.some((effect) => effect._tag === 'Send')) entry.answers++;
  }

  /**
   * Asks to enable or disable `option` on `side`. The listener is called once with the outcome, synchronously
   * for a request refused at once, later for one the peer must answer.
   *
   * An ask the same way as the last request of the side joins it and settles with it; nothing more is sent,
   * unless it joins the request in flight after all its askers gave up (it timed out or they unsubscribed): then
   * that request is sent again, at most `maxResends` times, and the answer settles every asker. An ask the other
   * way never re-sends it (it is queued behind it, and goes out after its answer).
   *
   * @returns a function that detaches the listener. The last listener of a queued request takes the request
   *   back (it was never sent); the request in flight stays tracked, for its answer.
   */
  ask(side: Side, option: number, enable: boolean, listener: RequestListener): () => void {
    const entry = this.entry(option);
    const queue = queueOf(entry, side) ?? [];
    const inFlight = queue[0];
    const givenUp = inFlight?.listeners.size === 0 ? inFlight : undefined;
    let request = queue.at(-1);
    if (request?.enable !== enable) {
      const effects = this.step(entry, option, side, { _tag: 'Ask', enable }, false);
      const rejection = effects.find((effect) => effect._tag === 'Rejected');
      if (rejection !== undefined) {
        listener({ _tag: 'Rejected', reason: rejection.reason });
        return () => undefined;
      }
      request = { enable, listeners: new Set(), resends: 0 };
      queue.push(request);
      setQueue(entry, side, queue);
    }
    request.listeners.add(listener);
    if (givenUp === request && givenUp.resends < this.maxResends) {
      givenUp.resends += 1;
      this.step(entry, option, side, { _tag: 'Resend' }, false);
    }
    const joined = request;
    return () => {
      if (!joined.listeners.delete(listener) || joined.listeners.size > 0) return;
      const index = queue.indexOf(joined);
      if (index > 0) {
        queue.splice(index, 1);
        this.step(entry, option, side, { _tag: 'Withdraw' }, false);
      }
      forgetEmpty(entry, side);
    };
  }

  /** Settles every waiting request with `Closed`: the connection is gone. */
  close(): void {
    for (const entry of this.options.values()) {
      for (const side of ['local', 'remote'] as const) {
        const queue = queueOf(entry, side) ?? [];
        setQueue(entry, side, undefined);
        for (const request of queue) tell(request, { _tag: 'Closed' });
      }
    }
  }

  private entry(option: number): OptionEntry {
    let entry = this.options.get(option);
    if (entry === undefined) {
      entry = {
        local: initialSide,
        remote: initialSide,
        localQueue: undefined,
        remoteQueue: undefined,
        answers: 0,
        windowStart: this.hooks.now(),
        locked: false,
      };
      this.options.set(option, entry);
    }
    return entry;
  }

  /** Returns true when the peer's negotiation for this option is to be ignored. */
  private stormGuard(entry: OptionEntry, option: number): boolean {
    const now = this.hooks.now();
    if (now - entry.windowStart >= this.limits.windowMs) {
      entry.windowStart = now;
      entry.answers = 0;
      entry.locked = false;
    }
    if (!entry.locked && entry.answers >= this.limits.maxAnswers) {
      entry.locked = true;
      this.hooks.warn(
        'NegotiationStorm',
        NEGOTIATION_DETAIL(
          option,
          `more than ${this.limits.maxAnswers} answers in ${this.limits.windowMs} ms; ignoring it for a while`,
        ),
      );
    }
    return entry.locked;
  }

  private step(entry: OptionEntry, option: number, side: Side, input: QInput, accept: boolean): readonly QEffect[] {
    const { side: next, effects } = stepQ(side, entry[side], input, accept);
    const oneShot = ONE_SHOT_OPTIONS.has(option);
    entry[side] = oneShot && next.state === 'YES' ? initialSide : next;
    for (const effect of effects) {
      if (oneShot && effect._tag === 'Changed') continue;
      switch (effect._tag) {
        case 'Send':
          this.hooks.send(effect.verb, option);
          break;
        case 'Changed':
          this.hooks.changed(option, side, effect.enabled);
          break;
        case 'Settled':
          this.settle(entry, side, effect.enable, effect.outcome);
          break;
        case 'Violation':
          this.hooks.warn('NegotiationViolation', NEGOTIATION_DETAIL(option, effect.detail));
          break;
        case 'Rejected':
          break;
      }
    }
    return effects;
  }

  private settle(entry: OptionEntry, side: Side, enable: boolean, outcome: 'Agreed' | 'Refused'): void {
    const queue = queueOf(entry, side);
    const index = queue?.findIndex((request) => request.enable === enable) ?? -1;
    if (queue === undefined || index < 0) return;
    const [request] = queue.splice(index, 1);
    forgetEmpty(entry, side);
    if (request !== undefined) tell(request, { _tag: outcome });
  }
}

const queueOf = (entry: OptionEntry, side: Side): PendingRequest[] | undefined =>
  side === 'local' ? entry.localQueue : entry.remoteQueue;

const setQueue = (entry: OptionEntry, side: Side, queue: PendingRequest[] | undefined): void => {
  if (side === 'local') entry.localQueue = queue;
  else entry.remoteQueue = queue;
};

/** Drops the queue of `side` once it is empty. */
const forgetEmpty = (entry: OptionEntry, side: Side): void => {
  if (queueOf(entry, side)?.length === 0) setQueue(entry, side, undefined);
};

/** Tells every listener of a request that left its queue how it ended (a listener may detach meanwhile). */
const tell = (request: PendingRequest, outcome: RequestOutcome): void => {
  const listeners = [...request.listeners];
  request.listeners.clear();
  for (const listener of listeners) listener(outcome);
};
