/**
 * A Telnet connection over any {@link Transport}: the contract of Twisted's `ITelnetTransport`, made reactive.
 *
 * @module
 */
import {
  asyncScheduler,
  distinctUntilChanged,
  map,
  Observable,
  type Observer,
  type SchedulerAction,
  type SchedulerLike,
  Subject,
  Subscriber,
  Subscription,
} from 'rxjs';
import type {
  CommandEvent,
  NegotiationVerb,
  SubnegotiationEvent,
  TelnetEvent,
  WarningCode,
  WarningEvent,
} from '../codec/events.js';
import { warning } from '../codec/events.js';
import { encodeCommand, encodeData, encodeNegotiation, encodeSubnegotiation } from '../codec/encoder.js';
import {
  AlreadyDisabledError,
  AlreadyEnabledError,
  AlreadyNegotiatingError,
  ConnectionClosedError,
  NegotiationTimeoutError,
  OptionRefusedError,
} from '../negotiation/errors.js';
import type { DecompressionError, TelnetError } from '../negotiation/errors.js';
import { refuseAll } from '../negotiation/policy.js';
import type { NegotiationPolicy } from '../negotiation/policy.js';
import type { Side } from '../negotiation/q-method.js';
import { commands } from '../operators/commands.js';
import { subnegotiations } from '../operators/subnegotiations.js';
import { warnings } from '../operators/warnings.js';
import { optionName, TelnetOption } from '../protocol/options.js';
import type { Compression } from '../transport/compression.js';
import type { Address, Transport } from '../transport/types.js';
import { HeldInput } from './held-input.js';
import { Inbox } from './inbox.js';
import type { InboxHooks } from './inbox.js';
import { DEFAULT_MAX_RESENDS, DEFAULT_STORM_LIMITS, Negotiator } from './negotiator.js';
import { Outbox } from './outbox.js';
import type { OutboxHooks } from './outbox.js';
import { NO_SINKS, withoutSink, withSink } from './sinks.js';
import type { Sink } from './sinks.js';
import type { NegotiatorHooks, RequestOutcome, StormLimits } from './negotiator.js';
import { timeoutOption } from '../protocol/durations.js';

/**
 * How a {@link TelnetConnection} behaves. Every field is optional.
 *
 * @example
 * ```ts
 * import { createConnection, TelnetOption, policyOf } from 'rxtelnet';
 * import type { ConnectionOptions, Transport } from 'rxtelnet';
 * declare const transport: Transport;
 * const options: ConnectionOptions = {
 *   policy: policyOf({ remote: [TelnetOption.ECHO, TelnetOption.SGA] }),
 *   negotiationTimeout: 2000,
 *   newline: 'nvt',
 * };
 * const connection = createConnection(transport, options);
 * ```
 */
export interface ConnectionOptions {
  /** Which of the peer's requests to accept. Default: refuse everything. Changeable later with `setPolicy`. */
  readonly policy?: NegotiationPolicy;
  /**
   * Milliseconds a `do`/`dont`/`will`/`wont` waits for the peer's answer. Default 5000; `Infinity` waits for
   * ever (the connection's close still settles it); 0, negative or NaN: a RangeError.
   */
  readonly negotiationTimeout?: number;
  /**
   * How often one request in flight is sent again for a later `do`/`dont`/`will`/`wont` the same way (a retry
   * after a timeout or an unsubscribe). Past it, the retry waits for the answer without sending. Default 3; 0
   * never re-sends. A non-negative integer, else a RangeError.
   */
  readonly maxNegotiationResends?: number;
  /** The scheduler for timeouts and the storm guard's clock. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /**
   * `'nvt'` (default): CR LF and CR NUL are translated both ways, as RFC 854 asks, except in a direction where
   * BINARY is in effect. `'raw'`: bytes pass as they are.
   */
  readonly newline?: 'nvt' | 'raw';
  /** Largest subnegotiation payload accepted, in bytes (default 64 KiB); longer ones are dropped with a warning. */
  readonly maxSubnegotiation?: number;
  /** How hard a peer may flip one option before we stop answering it for a while. */
  readonly stormLimits?: StormLimits;
  /** How strings given to `write` become bytes. Default UTF-8. */
  readonly encodeText?: (text: string) => Uint8Array;
  /**
   * The zlib engines for MCCP2 and MCCP3: `nodeCompression` from `rxtelnet/node` in Node, `portableCompression`
   * anywhere. Default: the transport's own (`transport.compression`; the WebSocket transports carry
   * `portableCompression`). Without engines the connection never agrees to MCCP2 or MCCP3, whatever its policy
   * says: it refuses the peer's offers and our own requests, with one `CompressionUnavailable` warning per option.
   */
  readonly compression?: Compression;
  /** Inflated bytes one received chunk may produce before the stream counts as a bomb. Default 8 MiB. */
  readonly maxInflatedPerChunk?: number;
  /**
   * The bound over the peer's whole compressed stream, however it is paced: inflated bytes may not exceed
   * `inflateRatioAllowance + maxInflateRatio * compressed bytes`. Default 100 (real MUD traffic: about 3 to 20).
   * Past it the connection closes with `CompressionFailed` (`'TooLarge'`), or reads on under `'continue'`.
   */
  readonly maxInflateRatio?: number;
  /** Inflated bytes allowed on top of `maxInflateRatio`, for an early burst. Default 4 MiB. */
  readonly inflateRatioAllowance?: number;
  /**
   * What a corrupt incoming compressed stream does. `'close'` (default): refuse the option and close.
   * `'continue'`: refuse the option (`DONT MCCP2` / `WONT MCCP3`), warn, and read what follows as plain Telnet.
   */
  readonly onCompressionError?: 'close' | 'continue';
  /**
   * The most output, in bytes, the connection buffers for a peer before it stops reading from it: what waits in
   * the transport (as it reports it), in the compression engine and behind a finishing compressed stream, our
   * negotiation answers included. Over it, `write` returns `false` and the peer is not read (it is slowed down
   * by TCP flow control) until the backlog falls to half of it. Past 4 times it, the connection closes at once
   * with `OutputOverflow`. Default 1 MiB (1 048 576); a positive number, else a RangeError.
   */
  readonly maxBufferedOutput?: number;
  /**
   * Milliseconds the output may stay over `maxBufferedOutput` before the connection is closed with
   * `OutputOverflow`, dropping the backlog. Default 10 000; `Infinity`: never; negative or NaN: a RangeError.
   */
  readonly outputOverflowTimeout?: number;
  /**
   * What the peer sends before anyone reads it is held for the first subscriber of `data$` or `events$`, up to
   * this many bytes (past it the oldest events are dropped, with a `HeldInputDropped` warning on `warnings$` and
   * at the head of what the first reader gets). 0 holds nothing. Default 16 384.
   */
  readonly maxHeldInput?: number;
  /**
   * `ready$` emits once no request of ours is waiting for an answer and the peer has sent no negotiation or
   * subnegotiation for this many ms. Default 50; `Infinity`: only `readyTimeout` makes it ready.
   */
  readonly readyQuiet?: number;
  /** `ready$` emits at the latest this many ms after the connection was made, settled or not. Default 2 000. */
  readonly readyTimeout?: number;
  /**
   * Milliseconds the peer may send nothing (counted from the start, then from its last chunk; what we send does
   * not count) before the connection closes with `IdleTimeout`. Default `Infinity` (no timeout); `listenTelnet`
   * servers should set one. 0, negative and NaN are a RangeError.
   */
  readonly idleTimeout?: number;
}

/**
 * A compressed stream starting or ending, in one direction.
 *
 * @example
 * ```ts
 * import { createConnection } from 'rxtelnet';
 * import type { CompressionEvent, Transport } from 'rxtelnet';
 * declare const transport: Transport;
 * const describe = (event: CompressionEvent): string => `${event.direction} ${event._tag === 'CompressionStarted' ? 'compressed' : 'plain'}`;
 * createConnection(transport).compression$.subscribe((event) => console.log(describe(event)));
 * ```
 */
export interface CompressionEvent {
  readonly _tag: 'CompressionStarted' | 'CompressionEnded';
  /** `'input'`: the peer compresses what it sends us. `'output'`: we compress what we send. */
  readonly direction: 'input' | 'output';
  /** `Option.MCCP2` or `Option.MCCP3`. */
  readonly option: number;
}

/**
 * The state of one option on one side, as a negotiation request reports it.
 *
 * @example
 * ```ts
 * import { firstValueFrom } from 'rxjs';
 * import { createConnection, TelnetOption } from 'rxtelnet';
 * import type { OptionSideState, Transport } from 'rxtelnet';
 * declare const transport: Transport;
 * const state: OptionSideState = await firstValueFrom(createConnection(transport).will(TelnetOption.EOR));
 * // { option: 25, side: 'local', enabled: true }
 * ```
 */
export interface OptionSideState {
  readonly option: number;
  /** `'local'`: we perform the option. `'remote'`: the peer does. */
  readonly side: Side;
  readonly enabled: boolean;
}

/**
 * The effective state of one option on both sides.
 *
 * @example
 * ```ts
 * import { createConnection, TelnetOption } from 'rxtelnet';
 * import type { OptionState, Transport } from 'rxtelnet';
 * declare const transport: Transport;
 * const binaryBothWays = (state: OptionState): boolean => state.local && state.remote;
 * createConnection(transport).option$(TelnetOption.BINARY).subscribe((state) => console.log(binaryBothWays(state)));
 * ```
 */
export interface OptionState {
  readonly local: boolean;
  readonly remote: boolean;
}

/**
 * Why a connection ended.
 *
 * @example
 * ```ts
 * import { createConnection } from 'rxtelnet';
 * import type { CloseReason, Transport } from 'rxtelnet';
 * declare const transport: Transport;
 * const explain = (reason: CloseReason): string => (reason._tag === 'TransportFailed' ? String(reason.error) : reason._tag);
 * createConnection(transport).closed$.subscribe((reason) => console.log(explain(reason)));
 * ```
 */
export type CloseReason =
  | { readonly _tag: 'ClosedByUs' }
  | { readonly _tag: 'CompressionFailed'; readonly error: DecompressionError }
  | { readonly _tag: 'ClosedByPeer' }
  | {
      /** The peer did not read our output: it stayed over `maxBufferedOutput` (`limit`) too long, or passed 4 times it. */
      readonly _tag: 'OutputOverflow';
      /** The bytes buffered for the peer when the connection gave up on it; they were dropped. */
      readonly buffered: number;
      readonly limit: number;
    }
  | { readonly _tag: 'IdleTimeout'; readonly idleTimeout: number }
  | { readonly _tag: 'TransportFailed'; readonly error: unknown }
  | {
      /**
       * Handling the peer's input threw: a compression engine or other code handed to the connection broke its
       * contract (or rxtelnet has a bug). The connection closes rather than let the exception escape.
       */
      readonly _tag: 'InputFailed';
      readonly error: unknown;
    };

/**
 * What one connection has moved so far, counted per chunk and per write (never per byte). Wire bytes are what
 * crossed the transport, compressed or not: with MCCP, `compressedBytesSent` of the `bytesSent` came out of our
 * compressed streams, from `uncompressedBytesSent` bytes put into them (their ratio is the compression ratio),
 * and likewise for what we received.
 *
 * @example
 * ```ts
 * import { createConnection } from 'rxtelnet';
 * import type { ConnectionStats, Transport } from 'rxtelnet';
 * declare const transport: Transport;
 * const ratio = (stats: ConnectionStats): number =>
 *   stats.compressedBytesSent === 0 ? 1 : stats.uncompressedBytesSent / stats.compressedBytesSent;
 * console.log(ratio(createConnection(transport).stats()));
 * ```
 */
export interface ConnectionStats {
  /** Bytes read from the transport. */
  readonly bytesReceived: number;
  /** Bytes handed to the transport. */
  readonly bytesSent: number;
  /** Of `bytesReceived`, those inside the peer's compressed streams (MCCP2 or MCCP3). */
  readonly compressedBytesReceived: number;
  /** What the peer's compressed streams inflated to. */
  readonly inflatedBytesReceived: number;
  /** Of `bytesSent`, the output of our compressed streams. */
  readonly compressedBytesSent: number;
  /** What went into our compressed streams, before compression. */
  readonly uncompressedBytesSent: number;
  /** `WILL`/`WONT`/`DO`/`DONT` commands the peer sent. */
  readonly negotiationsReceived: number;
  /** `WILL`/`WONT`/`DO`/`DONT` commands we sent (requests and answers). */
  readonly negotiationsSent: number;
}

/**
 * One Telnet connection: negotiation as cold Observables, typed incoming streams, escaped writes.
 *
 * Incoming streams are hot: they deliver what arrives after you subscribe, with one exception that keeps
 * banners and login prompts: the first subscriber of `data$` or `events$` also gets what arrived before it
 * (bounded by `maxHeldInput`). Later subscribers, and those of the other streams, start from what arrives next.
 *
 * @example
 * ```ts
 * import { createConnection, TelnetOption, policyOf } from 'rxtelnet';
 * import type { TelnetConnection, Transport } from 'rxtelnet';
 * declare const transport: Transport;
 * const greet = (connection: TelnetConnection): void => {
 *   connection.will(TelnetOption.ECHO).subscribe({ complete: () => connection.write('Password: ') });
 * };
 * greet(createConnection(transport, { policy: policyOf({ local: [TelnetOption.ECHO] }) }));
 * ```
 */
export interface TelnetConnection {
  /**
   * Asks the peer to perform `option` (`IAC DO option`). Cold: sends on subscribe. Emits the new state and
   * completes when the peer agrees; errors with {@link OptionRefusedError}, {@link AlreadyEnabledError},
   * {@link AlreadyNegotiatingError}, {@link NegotiationTimeoutError} or {@link ConnectionClosedError}.
   * Unsubscribing (or a timeout) does not take the request back: the answer still updates the option's state.
   * A subscription while the same request waits joins it (a retry re-sends it, up to `maxNegotiationResends`).
   */
  do(option: number): Observable<OptionSideState>;
  /** Asks the peer to stop performing `option` (`IAC DONT`); completes when it acknowledges. */
  dont(option: number): Observable<OptionSideState>;
  /** Offers to perform `option` ourselves (`IAC WILL`); completes when the peer agrees. */
  will(option: number): Observable<OptionSideState>;
  /** Stops performing `option` ourselves (`IAC WONT`); completes when the peer acknowledges. */
  wont(option: number): Observable<OptionSideState>;
  /** Sends `IAC SB about data IAC SE`, with every IAC in `data` doubled. */
  requestNegotiation(about: number, data: Uint8Array | readonly number[]): void;
  /**
   * Sends application data: strings are encoded (UTF-8 by default), IAC is doubled, and newlines follow NVT
   * rules unless BINARY is in effect on our side. Returns `false` when the transport's buffer is full (see
   * `drain$`; while MCCP compresses our output, it is what the transport said of the compressed bytes written
   * last) or more than `maxBufferedOutput` bytes wait: the data is queued all the same. Writes after
   * `loseConnection`, and after the peer's end once everything it sent is delivered, are ignored and return
   * `false` ({@link TelnetConnection.closeReason} says why).
   */
  write(data: string | Uint8Array | readonly number[]): boolean;
  /** {@link TelnetConnection.write} for each item, in order, with the same escaping. */
  writeSequence(data: Iterable<string | Uint8Array | readonly number[]>): boolean;
  /** Sends `IAC command`, e.g. `Command.GA` after a prompt. */
  sendCommand(command: number): boolean;
  /**
   * Closes after everything written so far is flushed: our FIN follows it, and `closed$` emits once it is sent
   * (what the peer sends after it is not decoded), or when the transport's close timeout gives up.
   */
  loseConnection(): void;
  /**
   * Closes at once, dropping what is still buffered (the transport's `abort`, else its `close`): for a peer
   * that does not read, when a graceful close has waited long enough. `closed$` emits `ClosedByUs` (or the
   * reason of a close already under way).
   */
  abort(): void;
  /** The counters of this connection so far (see {@link ConnectionStats}); still readable after the close. */
  stats(): ConnectionStats;
  /**
   * Why the connection takes no more writes: `undefined` while it is open, else the reason it is closing or
   * closed (after `loseConnection()`, `ClosedByUs`; after the peer's end, `ClosedByPeer`; ...), which is what
   * `closed$` emits. Tells a `write` that returned `false` because the connection is closed from one that did
   * because the peer reads slowly.
   */
  closeReason(): CloseReason | undefined;
  /** The local address. */
  getHost(): Address;
  /** The peer's address. */
  getPeer(): Address;
  /** Replaces the policy that answers the peer's requests, from now on. */
  setPolicy(policy: NegotiationPolicy): void;
  /** Whether `option` is in effect on `side` right now (`false` for every option once the connection closed). */
  isEnabled(side: Side, option: number): boolean;
  /**
   * Every decoded event, in wire order, negotiations included (after the connection has answered them). The
   * first subscriber of `events$` or `data$` also gets what arrived before it (see `maxHeldInput`), so a
   * subscription made after an `await` does not miss the banner; after that both are hot: a later subscriber
   * sees what arrives from then on.
   */
  readonly events$: Observable<TelnetEvent>;
  /**
   * Application data only; held for the first reader like {@link TelnetConnection.events$}. Each emission is the
   * data of one received chunk up to the next event someone reads (a view of the chunk, where a transport with
   * `freshInput` lets newlines and escapes be undone in place, or else a copy where they were): yours to keep.
   */
  readonly data$: Observable<Uint8Array>;
  /** Commands only (GA, EOR, NOP, AYT...). */
  readonly commands$: Observable<CommandEvent>;
  /** Warnings: anomalies in the byte stream, negotiation violations and storms. */
  readonly warnings$: Observable<WarningEvent>;
  /** Subnegotiations, all of them or those of one option. */
  subnegotiations$(option?: number): Observable<SubnegotiationEvent>;
  /**
   * The state of every option negotiated so far. Replays the current value; emits on every change. When the
   * connection closes every option is off: it emits an empty map, then completes (a late subscriber gets that).
   */
  readonly options$: Observable<ReadonlyMap<number, OptionState>>;
  /** The state of one option. Replays the current value; emits when it changes; off, then complete, after close. */
  option$(option: number): Observable<OptionState>;
  /**
   * Emits once, why the connection ended, then completes. Replays to late subscribers. When the peer ends its
   * side, everything it sent is delivered first, then what we wrote up to then is flushed (a compressed stream
   * finished), then the transport is closed and `closed$` emits `ClosedByPeer`.
   */
  readonly closed$: Observable<CloseReason>;
  /** MCCP2/MCCP3 compressed streams starting and ending, in both directions (not replayed: see `isCompressing`). */
  readonly compression$: Observable<CompressionEvent>;
  /** Whether a compressed stream is running now: `'input'` from the peer, `'output'` from us. */
  isCompressing(direction: 'input' | 'output'): boolean;
  /** Emits when the transport's write buffer has drained after `write` returned `false`. */
  readonly drain$: Observable<void>;
  /**
   * Emits once, then completes, when the initial negotiation has settled: none of our requests waiting for an
   * answer and the peer quiet (no negotiation) for `readyQuiet` ms, or `readyTimeout` ms after the connection was
   * made at the latest. Replays to late subscribers; errors with `ConnectionClosedError` if the connection closes
   * first. Data that arrived meanwhile is held for the first reader, so `await firstValueFrom(connection.ready$)`
   * before reading loses nothing.
   */
  readonly ready$: Observable<void>;
  /** Stops reading from the peer (when the transport supports it) until `resume`. */
  pause(): void;
  /** Resumes reading after `pause`. */
  resume(): void;
}

const DEFAULT_NEGOTIATION_TIMEOUT = 5000;
const DEFAULT_MAX_BUFFERED_OUTPUT = 1024 * 1024;
const DEFAULT_OUTPUT_OVERFLOW_TIMEOUT = 10_000;
const DEFAULT_MAX_HELD_INPUT = 16 * 1024;
const DEFAULT_READY_QUIET = 50;
const DEFAULT_READY_TIMEOUT = 2_000;

/** A bound: a number > 0, `Infinity` included (no bound); 0, negative or NaN is a RangeError. */
const positive = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!(value > 0)) throw new RangeError(`${name} must be a positive number (or Infinity), got ${value}`);
  return value;
};

const nonNegative = (name: string, value: number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  if (!(value >= 0) || value === Infinity) throw new RangeError(`${name} must be a number >= 0, got ${value}`);
  return value;
};

const resendLimit = (value: number | undefined): number => {
  if (value === undefined) return DEFAULT_MAX_RESENDS;
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`maxNegotiationResends must be an integer >= 0, got ${value}`);
  }
  return value;
};

/** Bytes given as a Uint8Array (a Buffer is one) or, from JavaScript, as an array of byte values; else a TypeError. */
const bytesOf = (value: Uint8Array | readonly number[], argument: string): Uint8Array => {
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value) && value.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255)) {
    return Uint8Array.from(value);
  }
  throw new TypeError(`${argument} must be a Uint8Array or an array of byte values (0-255)`);
};

const OFF: OptionState = { local: false, remote: false };
const CLOSED_STATES: ReadonlyMap<number, OptionState> = new Map();
const utf8 = new TextEncoder();
const encodeUtf8 = (text: string): Uint8Array => utf8.encode(text);

const requestError = (
  outcome: Exclude<RequestOutcome, { _tag: 'Agreed' }>,
  side: Side,
  option: number,
): TelnetError => {
  switch (outcome._tag) {
    case 'Refused':
      return new OptionRefusedError(option, side);
    case 'Closed':
      return new ConnectionClosedError(option);
    case 'Rejected':
      switch (outcome.reason) {
        case 'AlreadyEnabled':
          return new AlreadyEnabledError(option, side);
        case 'AlreadyDisabled':
          return new AlreadyDisabledError(option, side);
        case 'AlreadyNegotiating':
          return new AlreadyNegotiatingError(option, side);
      }
  }
};

/**
 * What {@link watchConnection} tells its watcher: plain callbacks, for the library's own bookkeeping of every
 * connection it is handed (metrics, drain, the demo server), where a subscription each would cost more.
 *
 * @internal Not part of the package's public exports.
 */
export interface ConnectionWatcher {
  /** Each warning, as `warnings$` emits it. */
  readonly warned?: (event: WarningEvent) => void;
  /** Why the connection ended, as `closed$` emits it (at once if it has): the last call. */
  readonly ended: (reason: CloseReason) => void;
}

/**
 * Watches `connection` until it closes, as subscriptions to `warnings$` and `closed$` made now would (in the same
 * order relative to the other subscribers of `closed$`), without their cost on a connection of this module. The
 * watcher is dropped when the connection closes, or before by the function returned.
 *
 * @internal Not part of the package's public exports.
 */
export const watchConnection = (connection: TelnetConnection, watcher: ConnectionWatcher): (() => void) => {
  if (connection instanceof Connection) return connection.watch(watcher);
  const { warned } = watcher;
  const warnings = warned === undefined ? undefined : connection.warnings$.subscribe(warned);
  const closed = connection.closed$.subscribe((reason) => {
    warnings?.unsubscribe();
    watcher.ended(reason);
  });
  return () => {
    warnings?.unsubscribe();
    closed.unsubscribe();
  };
};

/** A subscriber of `subnegotiations$(option)`, or a {@link listenSubnegotiations} listener. */
interface SubnegotiationSink {
  readonly option: number;
  readonly sink: Sink<SubnegotiationEvent>;
}

/**
 * Tells `sink` the subnegotiations of `option`, as a subscription to `subnegotiations$(option)` would, without
 * its cost on a connection of this module (the option helpers use it under their own subscription). Returns
 * the function that stops it.
 *
 * @internal Not part of the package's public exports.
 */
export const listenSubnegotiations = (
  connection: TelnetConnection,
  option: number,
  sink: Sink<SubnegotiationEvent>,
): (() => void) => {
  if (connection instanceof Connection) return connection.addSubnegotiationSink(option, sink);
  const subscription = connection.subnegotiations$(option).subscribe(sink);
  return () => {
    subscription.unsubscribe();
  };
};

/**
 * Tells `sink` the state of every option, as a subscription to `options$` would (the current one at once),
 * without its cost on a connection of this module. Returns the function that stops it.
 *
 * @internal Not part of the package's public exports.
 */
export const listenOptions = (
  connection: TelnetConnection,
  sink: Sink<ReadonlyMap<number, OptionState>>,
): (() => void) => {
  if (connection instanceof Connection) return connection.addOptionSink(sink);
  const subscription = connection.options$.subscribe(sink);
  return () => {
    subscription.unsubscribe();
  };
};

/**
 * Opens a Telnet connection over `transport`. It starts reading at once and answers the peer's negotiation by
 * `options.policy` whether or not anybody subscribes to its streams.
 *
 * @example
 * ```ts
 * import { firstValueFrom } from 'rxjs';
 * import { createConnection, TelnetOption, policyOf } from 'rxtelnet';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ local: [TelnetOption.TTYPE, TelnetOption.NAWS] }) });
 * connection.data$.subscribe((bytes) => console.log(new TextDecoder().decode(bytes)));
 * const echo = await firstValueFrom(connection.do(TelnetOption.ECHO)); // { option: 1, side: 'remote', enabled: true }
 * connection.write('hello\n');
 * ```
 */
export const createConnection = (transport: Transport, options: ConnectionOptions = {}): TelnetConnection =>
  new Connection(transport, options);

class Connection implements TelnetConnection {
  /**
   * What the negotiator and the inbox tell the connection, the policy they consult and the observer of the
   * transport's input: one object of methods per connection, where a closure per hook would cost some 50 bytes
   * each (a server holds thousands of connections).
   */
  private static readonly Link = class implements NegotiatorHooks, InboxHooks, NegotiationPolicy, Observer<Uint8Array> {
    constructor(
      private readonly connection: Connection,
      /** The user's policy, consulted through {@link Connection.consult}. */
      public policy: NegotiationPolicy,
    ) {}

    // NegotiationPolicy
    local(option: number): boolean {
      return this.connection.consult(this.policy, 'local', option);
    }

    remote(option: number): boolean {
      return this.connection.consult(this.policy, 'remote', option);
    }

    // NegotiatorHooks
    send(verb: NegotiationVerb, option: number): void {
      this.connection.negotiationsSent++;
      this.connection.send(encodeNegotiation(verb, option));
    }

    changed(option: number, side: Side, enabled: boolean): void {
      this.connection.optionChanged(option, side, enabled);
    }

    warn(code: 'NegotiationViolation' | 'NegotiationStorm', detail: string): void {
      this.connection.warn(code, detail);
    }

    now(): number {
      return this.connection.inputTime ?? this.connection.scheduler.now();
    }

    // InboxHooks
    data(bytes: Uint8Array): void {
      this.connection.readable.data(bytes);
    }

    observed(): boolean {
      const { connection } = this;
      return (
        connection.eventSubject?.observed === true ||
        connection.subnegotiationSinks.length > 0 ||
        connection.readable.wantsEvents
      );
    }

    /** A function of its own: the inbox hands it on unbound. */
    readonly event = (event: TelnetEvent): void => {
      this.connection.dispatch(event);
    };

    subnegotiated(): void {
      this.connection.awaitQuiet();
    }

    compressesAfter(option: number): boolean {
      return this.connection.compressesAfter(option);
    }

    compression(started: boolean, option: number): void {
      this.connection.compressionChanged(started, 'input', option);
    }

    failed(option: number, error: DecompressionError): void {
      this.connection.inflateFailed(option, error);
    }

    // Observer of the transport's input
    next(chunk: Uint8Array): void {
      const { connection } = this;
      // The clock is read once per chunk: the events it holds happened then.
      connection.inputTime = connection.scheduler.now();
      connection.lastInput = connection.inputTime;
      try {
        connection.inbox.receive(chunk);
      } catch (error) {
        connection.end({ _tag: 'InputFailed', error });
      } finally {
        connection.inputTime = undefined;
      }
    }

    error(error: unknown): void {
      this.connection.end({ _tag: 'TransportFailed', error });
    }

    complete(): void {
      const { connection } = this;
      connection.inbox.finish(() => {
        connection.inputEnded();
      });
    }
  };

  /** What the outbox tells the connection, as methods (see {@link Connection.Link}). */
  private static readonly OutputLink = class implements OutboxHooks {
    constructor(private readonly connection: Connection) {}

    compression(started: boolean, option: number): void {
      this.connection.compressionChanged(started, 'output', option);
    }

    failed(detail: string): void {
      this.connection.warn('Deflate', detail);
    }

    throttle(on: boolean): void {
      this.connection.throttled = on;
      this.connection.applyReading();
    }

    overflow(buffered: number): void {
      this.connection.overflowed(buffered);
    }
  };

  private readonly link: InstanceType<typeof Connection.Link>;
  readonly drain$: Observable<void>;

  /** Every event as it happens, for the connection's own streams (commands$, warnings$, subnegotiations$()). */
  private eventSubject: Subject<TelnetEvent> | undefined;
  private commandStream: Observable<CommandEvent> | undefined;
  private warningStream: Observable<WarningEvent> | undefined;
  /** The subscribers of `subnegotiations$(option)`, told before those of `events`. */
  private subnegotiationSinks: readonly SubnegotiationSink[] = NO_SINKS;
  /** The subscribers of `closed$` and the watchers, in the order they came. */
  private closeSinks: readonly (Subscriber<CloseReason> | ConnectionWatcher)[] = NO_SINKS;
  private warningWatchers: readonly ConnectionWatcher[] = NO_SINKS;
  /** The events for readers (events$, data$): held until the first one subscribes. */
  private readonly readable: HeldInput;
  /** The subscribers of `ready$` while it waits. */
  private readySinks: readonly Subscriber<void>[] = NO_SINKS;
  /** What `ready$` errors with once the connection closed before it was ready. */
  private readyError: ConnectionClosedError | undefined;
  private readonly readyQuiet: number;
  private readyQuietTimer: Subscription | undefined;
  /** When the peer last negotiated, on the scheduler's clock (for `readyQuiet`). */
  private lastNegotiation = 0;
  /** While a chunk is decoded: when it arrived, the time of the negotiations it holds. */
  private inputTime: number | undefined;
  private readySettled = false;
  private readyDeadline: Subscription | undefined;
  private compressionSinks: readonly Subscriber<CompressionEvent>[] = NO_SINKS;
  /** The subscribers of `options$` and the {@link listenOptions} listeners. */
  private optionSinks: readonly Sink<ReadonlyMap<number, OptionState>>[] = NO_SINKS;
  /**
   * How many options `options$` shows: those negotiated up to the last change (one first negotiated since,
   * without a change, is off on both sides and appears with the next change).
   */
  private shownOptions = 0;
  private readonly scheduler: SchedulerLike;
  private readonly timeout: number;
  private readonly newline: 'nvt' | 'raw';
  private readonly encodeText: (text: string) => Uint8Array;
  private readonly onCompressionError: 'close' | 'continue';
  /** What goes to the peer: plain or compressed. */
  private readonly outbox: Outbox;
  /** The Q method of every option, the requests waiting for an answer, the storm guard. */
  private readonly negotiator: Negotiator;
  /** What comes from the peer: decoded, inflated first while the peer compresses. */
  private readonly inbox: Inbox;
  /** Our subscription to the transport's input, while it lasts. */
  private inputSubscription: Subscription | undefined;
  private idleTimer: Subscription | undefined;
  /** Whether MCCP engines were given: without them, MCCP2 and MCCP3 are never agreed to. */
  private readonly compressionAvailable: boolean;
  /** The MCCP options already warned about (without engines): one warning each. */
  private compressionWarned: Set<number> | undefined;
  private isOpen = true;
  /** Set when the connection stops taking writes; the reason `closed$` emits once it has ended. */
  private ending: CloseReason | undefined;
  private readonly maxBufferedOutput: number;
  /** Reading from the peer is paused: by the application (`pause`), or while our output is over its mark. */
  private pausedByApplication = false;
  private throttled = false;
  private readingPaused = false;
  /** When the peer last sent a chunk, on the scheduler's clock (for `idleTimeout`). */
  private lastInput = 0;
  private negotiationsReceived = 0;
  private negotiationsSent = 0;

  constructor(
    private readonly transport: Transport,
    options: ConnectionOptions,
  ) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.timeout = timeoutOption('negotiationTimeout', options.negotiationTimeout, DEFAULT_NEGOTIATION_TIMEOUT);
    this.newline = options.newline ?? 'nvt';
    this.encodeText = options.encodeText ?? encodeUtf8;
    this.onCompressionError = options.onCompressionError ?? 'close';
    this.maxBufferedOutput = positive('maxBufferedOutput', options.maxBufferedOutput, DEFAULT_MAX_BUFFERED_OUTPUT);
    const outputOverflowTimeout = timeoutOption(
      'outputOverflowTimeout',
      options.outputOverflowTimeout,
      DEFAULT_OUTPUT_OVERFLOW_TIMEOUT,
    );
    const idleTimeout = timeoutOption('idleTimeout', options.idleTimeout, Infinity);

    const compression = options.compression ?? transport.compression;
    this.compressionAvailable = compression !== undefined;
    this.link = new Connection.Link(this, options.policy ?? refuseAll);
    this.outbox = new Outbox(transport, compression, new Connection.OutputLink(this), {
      maxBufferedOutput: this.maxBufferedOutput,
      outputOverflowTimeout,
      scheduler: this.scheduler,
    });
    this.negotiator = new Negotiator(
      this.link,
      this.link,
      options.stormLimits ?? DEFAULT_STORM_LIMITS,
      resendLimit(options.maxNegotiationResends),
    );
    this.inbox = new Inbox(
      {
        newline: this.newline,
        inPlace: transport.freshInput,
        maxSubnegotiation: options.maxSubnegotiation,
        maxInflatedPerChunk: options.maxInflatedPerChunk,
        maxInflateRatio: options.maxInflateRatio,
        inflateRatioAllowance: options.inflateRatioAllowance,
      },
      compression,
      this.link,
    );

    this.readable = new HeldInput(
      nonNegative('maxHeldInput', options.maxHeldInput, DEFAULT_MAX_HELD_INPUT),
      (detail) => {
        this.publish(warning('HeldInputDropped', detail));
      },
    );
    this.drain$ = transport.drain ?? new Observable<void>();
    this.readyQuiet = timeoutOption('readyQuiet', options.readyQuiet, DEFAULT_READY_QUIET);
    const readyTimeout = timeoutOption('readyTimeout', options.readyTimeout, DEFAULT_READY_TIMEOUT);
    this.readyDeadline =
      readyTimeout === Infinity
        ? undefined
        : this.scheduler.schedule(() => {
            this.becomeReady();
          }, readyTimeout);
    this.awaitQuiet();

    const input = transport.input.subscribe(this.link);
    // An input that ended at once may have closed the connection already.
    if (this.isOpen) this.inputSubscription = input;
    else input.unsubscribe();
    if (idleTimeout !== Infinity && this.isOpen) this.watchIdle(idleTimeout);
  }

  // The streams below are made on first use: most connections of a server never have them subscribed.
  private optionStream: Observable<ReadonlyMap<number, OptionState>> | undefined;
  private closeStream: Observable<CloseReason> | undefined;
  private compressionStream: Observable<CompressionEvent> | undefined;
  private readyStream: Observable<void> | undefined;

  /** After the close every option is off: a late subscriber gets that final state, then the completion. */
  get options$(): Observable<ReadonlyMap<number, OptionState>> {
    return (this.optionStream ??= new Observable<ReadonlyMap<number, OptionState>>((subscriber) =>
      this.addOptionSink(subscriber),
    ));
  }

  get closed$(): Observable<CloseReason> {
    return (this.closeStream ??= new Observable<CloseReason>((subscriber) => {
      const { ending } = this;
      if (!this.isOpen && ending !== undefined) {
        subscriber.next(ending);
        subscriber.complete();
        return undefined;
      }
      this.closeSinks = withSink(this.closeSinks, subscriber);
      return () => {
        this.closeSinks = withoutSink(this.closeSinks, subscriber);
      };
    }));
  }

  get compression$(): Observable<CompressionEvent> {
    return (this.compressionStream ??= new Observable<CompressionEvent>((subscriber) => {
      if (!this.isOpen) {
        subscriber.complete();
        return undefined;
      }
      this.compressionSinks = withSink(this.compressionSinks, subscriber);
      return () => {
        this.compressionSinks = withoutSink(this.compressionSinks, subscriber);
      };
    }));
  }

  get ready$(): Observable<void> {
    return (this.readyStream ??= new Observable<void>((subscriber) => {
      if (this.readyError !== undefined) {
        subscriber.error(this.readyError);
      } else if (this.readySettled) {
        subscriber.next();
        subscriber.complete();
      } else {
        this.readySinks = withSink(this.readySinks, subscriber);
        return () => {
          this.readySinks = withoutSink(this.readySinks, subscriber);
        };
      }
      return undefined;
    }));
  }

  get events$(): Observable<TelnetEvent> {
    return this.readable.events$;
  }

  get data$(): Observable<Uint8Array> {
    return this.readable.data$;
  }

  /** Every event, for `commands$`, `warnings$` and `subnegotiations$()`: made on first use (complete after the close). */
  private get events(): Subject<TelnetEvent> {
    if (this.eventSubject === undefined) {
      this.eventSubject = new Subject();
      if (!this.isOpen) this.eventSubject.complete();
    }
    return this.eventSubject;
  }

  /** Commands only; made on first use. */
  get commands$(): Observable<CommandEvent> {
    return (this.commandStream ??= this.events.pipe(commands()));
  }

  /** Warnings only; made on first use. */
  get warnings$(): Observable<WarningEvent> {
    return (this.warningStream ??= this.events.pipe(warnings()));
  }

  do(option: number): Observable<OptionSideState> {
    return this.request('remote', option, true);
  }

  dont(option: number): Observable<OptionSideState> {
    return this.request('remote', option, false);
  }

  will(option: number): Observable<OptionSideState> {
    return this.request('local', option, true);
  }

  wont(option: number): Observable<OptionSideState> {
    return this.request('local', option, false);
  }

  requestNegotiation(about: number, data: Uint8Array | readonly number[]): void {
    this.send(encodeSubnegotiation(about, bytesOf(data, 'requestNegotiation: data')));
  }

  write(data: string | Uint8Array | readonly number[]): boolean {
    const bytes = typeof data === 'string' ? this.encodeText(data) : bytesOf(data, 'write: data, if not a string,');
    const newline = this.newline === 'nvt' && !this.negotiator.isEnabled('local', TelnetOption.BINARY) ? 'nvt' : 'raw';
    return this.send(encodeData(bytes, { newline }));
  }

  writeSequence(data: Iterable<string | Uint8Array | readonly number[]>): boolean {
    let writable = true;
    for (const item of data) writable = this.write(item) && writable;
    return writable;
  }

  sendCommand(command: number): boolean {
    return this.send(encodeCommand(command));
  }

  loseConnection(): void {
    if (!this.isOpen || this.ending !== undefined) return;
    this.ending = { _tag: 'ClosedByUs' };
    this.outbox.close();
  }

  abort(): void {
    if (!this.isOpen) return;
    const reason = this.ending ?? { _tag: 'ClosedByUs' };
    this.ending = reason;
    this.outbox.abort();
    this.end(reason);
  }

  stats(): ConnectionStats {
    const { inbox, outbox } = this;
    return {
      bytesReceived: inbox.received,
      bytesSent: outbox.sent,
      compressedBytesReceived: inbox.compressedReceived,
      inflatedBytesReceived: inbox.inflatedReceived,
      compressedBytesSent: outbox.compressedSent,
      uncompressedBytesSent: outbox.uncompressedSent,
      negotiationsReceived: this.negotiationsReceived,
      negotiationsSent: this.negotiationsSent,
    };
  }

  closeReason(): CloseReason | undefined {
    return this.ending;
  }

  getHost(): Address {
    return this.transport.host;
  }

  getPeer(): Address {
    return this.transport.peer;
  }

  setPolicy(policy: NegotiationPolicy): void {
    this.link.policy = policy;
  }

  isEnabled(side: Side, option: number): boolean {
    return this.isOpen && this.negotiator.isEnabled(side, option);
  }

  isCompressing(direction: 'input' | 'output'): boolean {
    return direction === 'input' ? this.inbox.inflating : this.outbox.compressing;
  }

  subnegotiations$(option?: number): Observable<SubnegotiationEvent> {
    if (option === undefined) return this.events.pipe(subnegotiations());
    return new Observable<SubnegotiationEvent>((subscriber) => {
      if (!this.isOpen) {
        subscriber.complete();
        return undefined;
      }
      return this.addSubnegotiationSink(option, subscriber);
    });
  }

  /** See {@link listenSubnegotiations}; the connection is open. */
  addSubnegotiationSink(option: number, sink: Sink<SubnegotiationEvent>): () => void {
    const entry: SubnegotiationSink = { option, sink };
    this.subnegotiationSinks = withSink(this.subnegotiationSinks, entry);
    return () => {
      this.subnegotiationSinks = withoutSink(this.subnegotiationSinks, entry);
    };
  }

  /** See {@link listenOptions}: the current states first (after the close: none, and the end). */
  addOptionSink(sink: Sink<ReadonlyMap<number, OptionState>>): () => void {
    if (!this.isOpen) {
      sink.next(CLOSED_STATES);
      sink.complete();
      return () => undefined;
    }
    this.optionSinks = withSink(this.optionSinks, sink);
    sink.next(this.negotiator.snapshot(this.shownOptions));
    return () => {
      this.optionSinks = withoutSink(this.optionSinks, sink);
    };
  }

  /** See {@link watchConnection}. */
  watch(watcher: ConnectionWatcher): () => void {
    const { ending } = this;
    if (!this.isOpen && ending !== undefined) {
      watcher.ended(ending);
      return () => undefined;
    }
    this.closeSinks = withSink(this.closeSinks, watcher);
    if (watcher.warned !== undefined) this.warningWatchers = withSink(this.warningWatchers, watcher);
    return () => {
      this.closeSinks = withoutSink(this.closeSinks, watcher);
      this.warningWatchers = withoutSink(this.warningWatchers, watcher);
    };
  }

  option$(option: number): Observable<OptionState> {
    return this.options$.pipe(
      map((states) => states.get(option) ?? OFF),
      distinctUntilChanged((a, b) => a.local === b.local && a.remote === b.remote),
    );
  }

  pause(): void {
    this.pausedByApplication = true;
    this.applyReading();
  }

  resume(): void {
    this.pausedByApplication = false;
    this.applyReading();
  }

  /** Reads from the peer unless the application paused it or our output is over its mark. */
  private applyReading(): void {
    const paused = this.pausedByApplication || this.throttled;
    if (paused === this.readingPaused || !this.isOpen) return;
    this.readingPaused = paused;
    if (paused) this.transport.pause?.();
    else this.transport.resume?.();
  }

  /**
   * The input ended and everything it held is delivered. The peer ended it: what was written up to now is
   * flushed, then the transport closed, then `closed$` says `ClosedByPeer`. We did (after our FIN): the same wait,
   * which is over already unless the peer's end overtook our flush.
   */
  private inputEnded(): void {
    this.inbox.flush();
    this.ending ??= { _tag: 'ClosedByPeer' };
    this.outbox.close(() => {
      if (this.ending !== undefined) this.end(this.ending);
    });
  }

  /** The peer does not read what we send: drop the backlog, close at once. */
  private overflowed(buffered: number): void {
    const reason: CloseReason = { _tag: 'OutputOverflow', buffered, limit: this.maxBufferedOutput };
    this.ending = reason;
    this.outbox.abort();
    this.end(reason);
  }

  private request(side: Side, option: number, enable: boolean): Observable<OptionSideState> {
    return new Observable<OptionSideState>((subscriber) => {
      if (!this.isOpen) {
        subscriber.error(new ConnectionClosedError(option));
        return undefined;
      }
      if (enable && this.compressionUnavailable(option)) {
        subscriber.error(new OptionRefusedError(option, side));
        return undefined;
      }
      // Infinity waits for ever: a timer of Infinity ms would fire at once (setTimeout clamps it to 1 ms).
      const timer =
        this.timeout === Infinity
          ? Subscription.EMPTY
          : this.scheduler.schedule(() => {
              detach();
              subscriber.error(new NegotiationTimeoutError(option, side, this.timeout));
            }, this.timeout);
      const detach = this.negotiator.ask(side, option, enable, (outcome) => {
        timer.unsubscribe();
        if (outcome._tag === 'Agreed') {
          subscriber.next({ option, side, enabled: enable });
          subscriber.complete();
        } else {
          subscriber.error(requestError(outcome, side, option));
        }
      });
      return () => {
        timer.unsubscribe();
        detach();
      };
    });
  }

  /**
   * Without MCCP engines: whether `option` is MCCP2 or MCCP3, which we then never agree to (warning once per
   * option). The compressed bytes would otherwise reach the application as garbage, or ours would never come.
   */
  private compressionUnavailable(option: number): boolean {
    if (this.compressionAvailable || (option !== TelnetOption.MCCP2 && option !== TelnetOption.MCCP3)) return false;
    this.compressionWarned ??= new Set();
    if (!this.compressionWarned.has(option)) {
      this.compressionWarned.add(option);
      this.warn(
        'CompressionUnavailable',
        `${optionName(option)} refused: the connection has no compression engine (options.compression)`,
      );
    }
    return true;
  }

  /**
   * The user's policy, made safe to consult on the peer's input: a check that throws refuses the request and warns
   * (`PolicyFailed`); and without an engine MCCP2 and MCCP3 are refused.
   */
  private consult(policy: NegotiationPolicy, side: Side, option: number): boolean {
    try {
      const accepted = side === 'local' ? policy.local(option) : policy.remote(option);
      return accepted && !this.compressionUnavailable(option);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.warn('PolicyFailed', `the policy threw on ${optionName(option)} (${side}), refused: ${why.slice(0, 200)}`);
      return false;
    }
  }

  /** Every decoded event but data: negotiations are answered first, then everything goes to the streams. */
  private dispatch(event: TelnetEvent): void {
    if (event._tag === 'Negotiation') {
      this.negotiationsReceived++;
      this.negotiator.receive(event.verb, event.option);
      this.awaitQuiet();
    }
    this.publish(event);
    this.readable.next(event);
  }

  /** An event for the connection's own streams: `subnegotiations$(option)`, the watchers, then `events`. */
  private publish(event: TelnetEvent): void {
    if (event._tag === 'Subnegotiation') {
      for (const entry of this.subnegotiationSinks) if (entry.option === event.option) entry.sink.next(event);
    } else if (event._tag === 'Warning') {
      for (const watcher of this.warningWatchers) watcher.warned?.(event);
    }
    this.eventSubject?.next(event);
  }

  /**
   * (Re)starts the wait for a quiet peer; when it ends with none of our requests pending, `ready$` emits. One timer
   * for the whole wait: a peer that negotiates at every line only moves the time it looks again.
   */
  private awaitQuiet(): void {
    if (this.readySettled || this.readyQuiet === Infinity) return;
    this.lastNegotiation = this.inputTime ?? this.scheduler.now();
    if (this.readyQuietTimer !== undefined) return;
    const check = (action: SchedulerAction<undefined>): void => {
      const quiet = this.scheduler.now() - this.lastNegotiation;
      if (quiet < this.readyQuiet) {
        action.schedule(undefined, this.readyQuiet - quiet);
        return;
      }
      this.readyQuietTimer = undefined;
      if (!this.negotiator.negotiating()) this.becomeReady();
    };
    this.readyQuietTimer = this.scheduler.schedule(function (this: SchedulerAction<undefined>) {
      check(this);
    }, this.readyQuiet);
  }

  private becomeReady(): void {
    if (this.readySettled) return;
    this.readySettled = true;
    this.stopReadyTimers();
    const sinks = this.readySinks;
    this.readySinks = NO_SINKS;
    for (const sink of sinks) {
      sink.next();
      sink.complete();
    }
  }

  private stopReadyTimers(): void {
    this.readyQuietTimer?.unsubscribe();
    this.readyQuietTimer = undefined;
    this.readyDeadline?.unsubscribe();
    this.readyDeadline = undefined;
  }

  private send(bytes: Uint8Array): boolean {
    return this.isOpen && this.ending === undefined && this.outbox.write(bytes);
  }

  /** MCCP2 (the peer performs it) and MCCP3 (we perform it) compress what follows their `IAC SB opt IAC SE`. */
  private compressesAfter(option: number): boolean {
    return (
      (option === TelnetOption.MCCP2 && this.negotiator.isEnabled('remote', option)) ||
      (option === TelnetOption.MCCP3 && this.negotiator.isEnabled('local', option))
    );
  }

  private optionChanged(option: number, side: Side, enabled: boolean): void {
    if (option === TelnetOption.BINARY && side === 'remote' && this.newline === 'nvt') {
      this.inbox.setNewline(enabled ? 'raw' : 'nvt');
    }
    if ((option === TelnetOption.MCCP2 && side === 'local') || (option === TelnetOption.MCCP3 && side === 'remote')) {
      // MCCP2 when we perform it, MCCP3 when the peer does: our output is compressed.
      if (enabled) this.outbox.startCompressing(option);
      else this.outbox.stopCompressing(option);
    }
    this.shownOptions = this.negotiator.size;
    const sinks = this.optionSinks;
    if (sinks.length === 0) return;
    const states = this.negotiator.snapshot();
    for (const sink of sinks) sink.next(states);
  }

  private compressionChanged(started: boolean, direction: 'input' | 'output', option: number): void {
    const event: CompressionEvent = { _tag: started ? 'CompressionStarted' : 'CompressionEnded', direction, option };
    for (const sink of this.compressionSinks) sink.next(event);
  }

  /** The peer's compressed stream was corrupt: refuse the option, and close unless told to read on. */
  private inflateFailed(option: number, error: DecompressionError): void {
    this.negotiator.ask(option === TelnetOption.MCCP2 ? 'remote' : 'local', option, false, () => undefined);
    if (this.onCompressionError === 'close' && this.ending === undefined) {
      this.ending = { _tag: 'CompressionFailed', error };
      this.outbox.close();
    }
  }

  /** Closes with `IdleTimeout` once the peer has sent nothing for `idleTimeout` ms; one timer, rescheduled. */
  private watchIdle(idleTimeout: number): void {
    this.lastInput = this.scheduler.now();
    const check = (action: SchedulerAction<undefined>): void => {
      const quiet = this.scheduler.now() - this.lastInput;
      if (quiet < idleTimeout) {
        action.schedule(undefined, idleTimeout - quiet);
      } else if (this.ending === undefined) {
        this.ending = { _tag: 'IdleTimeout', idleTimeout };
        this.outbox.close();
      }
    };
    this.idleTimer = this.scheduler.schedule(function (this: SchedulerAction<undefined>) {
      check(this);
    }, idleTimeout);
  }

  private warn(code: WarningCode, detail: string): void {
    const event = warning(code, detail);
    this.publish(event);
    this.readable.next(event);
  }

  private end(reason: CloseReason): void {
    if (!this.isOpen) return;
    this.inbox.flush();
    this.isOpen = false;
    this.ending = reason;
    this.inputSubscription?.unsubscribe();
    this.inputSubscription = undefined;
    this.idleTimer?.unsubscribe();
    this.idleTimer = undefined;
    this.inbox.destroy();
    this.outbox.destroy();
    this.negotiator.close();
    if (!this.readySettled) {
      this.readySettled = true;
      this.stopReadyTimers();
      const error = new ConnectionClosedError();
      this.readyError = error;
      const sinks = this.readySinks;
      this.readySinks = NO_SINKS;
      for (const sink of sinks) sink.error(error);
    }
    const optionSinks = this.optionSinks;
    this.optionSinks = NO_SINKS;
    for (const sink of optionSinks) sink.next(CLOSED_STATES);
    const closeSinks = this.closeSinks;
    this.closeSinks = NO_SINKS;
    this.warningWatchers = NO_SINKS;
    for (const sink of closeSinks) {
      if (sink instanceof Subscriber) {
        sink.next(reason);
        sink.complete();
      } else {
        sink.ended(reason);
      }
    }
    const subnegotiationSinks = this.subnegotiationSinks;
    this.subnegotiationSinks = NO_SINKS;
    for (const entry of subnegotiationSinks) entry.sink.complete();
    this.eventSubject?.complete();
    this.readable.complete();
    for (const sink of optionSinks) sink.complete();
    const compressionSinks = this.compressionSinks;
    this.compressionSinks = NO_SINKS;
    for (const sink of compressionSinks) sink.complete();
  }
}
