/**
 * The failures this library delivers on the RxJS error channel, one family: negotiation, decompression, CHARSET
 * and transport (TCP/TLS, WebSocket) errors. Each is an `Error` subclass with a `_tag` (equal to its `name`) and a
 * `code`; {@link TelnetError} is their union and {@link isTelnetError} their guard.
 *
 * @module
 */
import { optionName } from '../protocol/options.js';
import type { Side } from './q-method.js';

/** `NAWS (local)`: the option and the side, in the terms of {@link Side}. */
const describeSide = (option: number, side: Side): string => `${optionName(option)} (${side})`;

/**
 * What the negotiation errors share: the option and the side a request was about, and a message built from them.
 *
 * @example
 * ```ts
 * import { NegotiationError, OptionRefusedError, TelnetOption } from 'rxtelnet';
 * const error: NegotiationError = new OptionRefusedError(TelnetOption.NAWS, 'local');
 * console.log(error.option, error.side); // 31 'local'
 * ```
 */
export abstract class NegotiationError extends Error {
  readonly option: number;
  readonly side: Side;

  protected constructor(option: number, side: Side, message: string) {
    super(message);
    this.option = option;
    this.side = side;
  }
}

/**
 * The peer refused a request: it answered our WILL with DONT or our DO with WONT (or, for a
 * disable request, broke the protocol and kept the option on).
 *
 * @example
 * ```ts
 * import { OptionRefusedError, TelnetOption } from 'rxtelnet';
 * const error = new OptionRefusedError(TelnetOption.NAWS, 'local');
 * error.code; // 'ERR_TELNET_OPTION_REFUSED'
 * ```
 */
export class OptionRefusedError extends NegotiationError {
  readonly _tag = 'OptionRefusedError';
  readonly code = 'ERR_TELNET_OPTION_REFUSED';
  override readonly name = 'OptionRefusedError';

  constructor(option: number, side: Side) {
    super(option, side, `The peer refused the negotiation of ${describeSide(option, side)}`);
  }
}

/**
 * An enable request for a side that is already enabled: nothing was sent.
 *
 * @example
 * ```ts
 * import { AlreadyEnabledError, TelnetOption } from 'rxtelnet';
 * new AlreadyEnabledError(TelnetOption.ECHO, 'remote').message; // 'ECHO (remote) is already enabled'
 * ```
 */
export class AlreadyEnabledError extends NegotiationError {
  readonly _tag = 'AlreadyEnabledError';
  readonly code = 'ERR_TELNET_ALREADY_ENABLED';
  override readonly name = 'AlreadyEnabledError';

  constructor(option: number, side: Side) {
    super(option, side, `${describeSide(option, side)} is already enabled`);
  }
}

/**
 * A disable request for a side that is already disabled: nothing was sent.
 *
 * @example
 * ```ts
 * import { AlreadyDisabledError, TelnetOption } from 'rxtelnet';
 * new AlreadyDisabledError(TelnetOption.SGA, 'local').side; // 'local'
 * ```
 */
export class AlreadyDisabledError extends NegotiationError {
  readonly _tag = 'AlreadyDisabledError';
  readonly code = 'ERR_TELNET_ALREADY_DISABLED';
  override readonly name = 'AlreadyDisabledError';

  constructor(option: number, side: Side) {
    super(option, side, `${describeSide(option, side)} is already disabled`);
  }
}

/**
 * A request made while the same request is in flight, or while the opposite one is already queued
 * behind the one in flight: nothing was sent (RFC 1143 queues one request at most).
 *
 * @example
 * ```ts
 * import { AlreadyNegotiatingError, TelnetOption } from 'rxtelnet';
 * new AlreadyNegotiatingError(TelnetOption.GMCP, 'remote').code; // 'ERR_TELNET_ALREADY_NEGOTIATING'
 * ```
 */
export class AlreadyNegotiatingError extends NegotiationError {
  readonly _tag = 'AlreadyNegotiatingError';
  readonly code = 'ERR_TELNET_ALREADY_NEGOTIATING';
  override readonly name = 'AlreadyNegotiatingError';

  constructor(option: number, side: Side) {
    super(option, side, `${describeSide(option, side)} is already being negotiated`);
  }
}

/**
 * The peer did not answer a request within `timeout` milliseconds.
 *
 * @example
 * ```ts
 * import { NegotiationTimeoutError, TelnetOption } from 'rxtelnet';
 * new NegotiationTimeoutError(TelnetOption.TTYPE, 'remote', 5000).timeout; // 5000
 * ```
 */
export class NegotiationTimeoutError extends NegotiationError {
  readonly _tag = 'NegotiationTimeoutError';
  readonly code = 'ERR_TELNET_NEGOTIATION_TIMEOUT';
  override readonly name = 'NegotiationTimeoutError';
  /** How long the request waited, in milliseconds. */
  readonly timeout: number;

  constructor(option: number, side: Side, timeout: number) {
    super(
      option,
      side,
      `The peer did not answer the negotiation of ${describeSide(option, side)} within ${timeout} ms`,
    );
    this.timeout = timeout;
  }
}

/**
 * The connection closed: before a negotiation of `option` on `side` settled, or (without an option)
 * before or during some other operation, such as a write after close.
 *
 * @example
 * ```ts
 * import { ConnectionClosedError, TelnetOption } from 'rxtelnet';
 * new ConnectionClosedError().message; // 'The connection is closed'
 * new ConnectionClosedError(TelnetOption.NAWS, 'local').option; // 31
 * ```
 */
export class ConnectionClosedError extends Error {
  readonly _tag = 'ConnectionClosedError';
  readonly code = 'ERR_TELNET_CONNECTION_CLOSED';
  override readonly name = 'ConnectionClosedError';
  readonly option: number | undefined;
  readonly side: Side | undefined;

  constructor(option?: number, side?: Side) {
    super(
      option === undefined
        ? 'The connection is closed'
        : `The connection closed before the negotiation of ${
            side === undefined ? optionName(option) : describeSide(option, side)
          } settled`,
    );
    this.option = option;
    this.side = side;
  }
}

/**
 * Why a compressed stream (MCCP) could not be decompressed.
 *
 * @example
 * ```ts
 * import type { DecompressionFailure } from 'rxtelnet';
 * const explain = (reason: DecompressionFailure): string =>
 *   reason === 'TooLarge' ? 'the stream inflated past the limit' : 'the stream is corrupt';
 * ```
 */
export type DecompressionFailure = 'Corrupt' | 'TooLarge';

/**
 * A compressed stream (MCCP2/MCCP3, named by `option`) was corrupt (`'Corrupt'`) or inflated to more
 * output than allowed (`'TooLarge'`). The underlying error, if any, is the standard `cause`.
 *
 * @example
 * ```ts
 * import { DecompressionError, TelnetOption } from 'rxtelnet';
 * const error = new DecompressionError(TelnetOption.MCCP2, 'Corrupt', new Error('invalid stored block lengths'));
 * error.reason; // 'Corrupt'
 * ```
 */
export class DecompressionError extends Error {
  readonly _tag = 'DecompressionError';
  readonly code = 'ERR_TELNET_DECOMPRESSION';
  override readonly name = 'DecompressionError';
  readonly option: number;
  readonly reason: DecompressionFailure;

  constructor(option: number, reason: DecompressionFailure, cause?: unknown) {
    super(
      reason === 'Corrupt'
        ? `The ${optionName(option)} compressed stream is corrupt`
        : `The ${optionName(option)} compressed stream inflates to more than the allowed output`,
      cause === undefined ? undefined : { cause },
    );
    this.option = option;
    this.reason = reason;
  }
}

/**
 * Why a CHARSET request failed: `'Rejected'` (the peer answered `REJECTED`), `'TranslationTable'` (it answered
 * with a translation table, which we did not offer and refuse), `'NotOffered'` (it accepted a name we did not
 * offer).
 *
 * @example
 * ```ts
 * import type { CharsetRejection } from 'rxtelnet';
 * const reason: CharsetRejection = 'Rejected';
 * ```
 */
export type CharsetRejection = 'Rejected' | 'TranslationTable' | 'NotOffered';

/**
 * A CHARSET request ({@link requestCharset}) that did not agree on a character set.
 *
 * @example
 * ```ts
 * import { CharsetRejectedError } from 'rxtelnet';
 * const error = new CharsetRejectedError('Rejected', ['UTF-8']);
 * error.code; // 'ERR_TELNET_CHARSET_REJECTED'
 * ```
 */
export class CharsetRejectedError extends Error {
  readonly _tag = 'CharsetRejectedError';
  readonly code = 'ERR_TELNET_CHARSET_REJECTED';
  override readonly name = 'CharsetRejectedError';
  readonly reason: CharsetRejection;
  /** The names we offered. */
  readonly offered: readonly string[];
  /** The name the peer accepted, for `'NotOffered'`. */
  readonly accepted: string | undefined;

  constructor(reason: CharsetRejection, offered: readonly string[], accepted?: string) {
    super(
      reason === 'NotOffered'
        ? `The peer accepted the character set ${accepted ?? ''}, which was not offered`
        : `The peer did not accept any of the character sets ${offered.join(', ')}`,
    );
    this.reason = reason;
    this.offered = offered;
    this.accepted = accepted;
  }
}

/**
 * A connection that could not be made or that failed: refused, unreachable, timed out, reset, aborted,
 * or a TLS handshake that did not verify. The Node transports of `rxtelnet/node` deliver it; it is defined here,
 * with no Node dependency, so that it belongs to {@link TelnetError} on every platform.
 *
 * `code` is the system or TLS error code Node reported (`'ECONNREFUSED'`, `'ENOTFOUND'`, `'ECONNRESET'`,
 * `'EADDRINUSE'`, `'DEPTH_ZERO_SELF_SIGNED_CERT'`, ...), or one of the adapter's own: `'ETIMEDOUT'` when the
 * connect timeout expires, `'ABORT_ERR'` when the `AbortSignal` fires. The original error is the `cause`.
 *
 * @example
 * ```ts
 * import { connectTcp, TransportError } from 'rxtelnet/node';
 * connectTcp({ host: '127.0.0.1', port: 1 }).subscribe({
 *   error: (error: unknown) => {
 *     if (error instanceof TransportError && error.code === 'ECONNREFUSED') console.log('nobody listens');
 *   },
 * });
 * ```
 */
export class TransportError extends Error {
  readonly _tag = 'TransportError';
  override readonly name = 'TransportError';

  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * What went wrong with a WebSocket transport, in `code`:
 * - `'ERR_WEBSOCKET_CLOSED'`: the socket closed abnormally (a close code other than 1000 or 1005, which are
 *   clean; `closeCode` and `closeReason` say what the peer or the browser reported, 1006 for a lost connection);
 * - `'ERR_WEBSOCKET_FAILED'`: the socket fired `'error'` (browsers tell nothing more; `ws` gives the error as `cause`);
 * - `'ERR_WEBSOCKET_OPEN_FAILED'`: {@link connectWebSocket} could not open the socket;
 * - `'ERR_WEBSOCKET_UNAVAILABLE'`: there is no `WebSocket` to open one with;
 * - `'ERR_WEBSOCKET_OVERFLOW'`: more than `maxPending` bytes waited in memory (see {@link WebSocketTransportOptions});
 * - `'ERR_INPUT_ALREADY_SUBSCRIBED'`: `input` was subscribed a second time.
 *
 * @example
 * ```ts
 * import { connectWebSocket, WebSocketError } from 'rxtelnet';
 * connectWebSocket('wss://gateway.example/telnet').subscribe({
 *   error: (error: unknown) => {
 *     if (error instanceof WebSocketError) console.log(error.code, error.closeCode);
 *   },
 * });
 * ```
 */
export class WebSocketError extends Error {
  readonly _tag = 'WebSocketError';
  override readonly name = 'WebSocketError';

  constructor(
    readonly code: WebSocketErrorCode,
    message: string,
    /** The WebSocket close code, for `'ERR_WEBSOCKET_CLOSED'` and a failed open that closed. */
    readonly closeCode?: number,
    /** The close reason the peer sent, if any. */
    readonly closeReason?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * The codes of {@link WebSocketError}.
 *
 * @example
 * ```ts
 * import type { WebSocketErrorCode } from 'rxtelnet';
 * const lost: WebSocketErrorCode = 'ERR_WEBSOCKET_CLOSED';
 * ```
 */
export type WebSocketErrorCode =
  | 'ERR_WEBSOCKET_CLOSED'
  | 'ERR_WEBSOCKET_FAILED'
  | 'ERR_WEBSOCKET_OPEN_FAILED'
  | 'ERR_WEBSOCKET_UNAVAILABLE'
  | 'ERR_WEBSOCKET_OVERFLOW'
  | 'ERR_INPUT_ALREADY_SUBSCRIBED';

/**
 * An expect-style wait ({@link createExpect}) that saw none of its patterns within `timeout` milliseconds.
 * `received` is the text that arrived since the last match (at most the dialogue's `maxBuffered` characters).
 *
 * @example
 * ```ts
 * import { ExpectTimeoutError } from 'rxtelnet';
 * const error = new ExpectTimeoutError(5000, 'Welcome\r\n');
 * error.received; // 'Welcome\r\n'
 * ```
 */
export class ExpectTimeoutError extends Error {
  readonly _tag = 'ExpectTimeoutError';
  readonly code = 'ERR_TELNET_EXPECT_TIMEOUT';
  override readonly name = 'ExpectTimeoutError';
  readonly timeout: number;
  readonly received: string;

  constructor(timeout: number, received: string) {
    super(`None of the expected patterns arrived within ${timeout} ms`);
    this.timeout = timeout;
    this.received = received;
  }
}

/**
 * The connection closed before an expect-style wait ({@link createExpect}) saw one of its patterns.
 *
 * @example
 * ```ts
 * import { ExpectClosedError } from 'rxtelnet';
 * new ExpectClosedError('Bye\r\n').code; // 'ERR_TELNET_EXPECT_CLOSED'
 * ```
 */
export class ExpectClosedError extends Error {
  readonly _tag = 'ExpectClosedError';
  readonly code = 'ERR_TELNET_EXPECT_CLOSED';
  override readonly name = 'ExpectClosedError';
  readonly received: string;

  constructor(received: string) {
    super('The connection closed before any of the expected patterns arrived');
    this.received = received;
  }
}

/**
 * A login ({@link createExpect}'s `login`) that the peer refused: it printed the failure pattern, or asked for
 * the user name again. `received` is the text of the refusal.
 *
 * @example
 * ```ts
 * import { LoginFailedError } from 'rxtelnet';
 * new LoginFailedError('Login incorrect\r\n').code; // 'ERR_TELNET_LOGIN_FAILED'
 * ```
 */
export class LoginFailedError extends Error {
  readonly _tag = 'LoginFailedError';
  readonly code = 'ERR_TELNET_LOGIN_FAILED';
  override readonly name = 'LoginFailedError';
  readonly received: string;

  constructor(received: string) {
    super('The peer refused the login');
    this.received = received;
  }
}

/**
 * A scripted peer (`rxtelnet/testing`) received something else than its script expected: `expected` and
 * `received` are readable renderings of the bytes (Telnet commands by name), `step` the 1-based step number.
 *
 * @example
 * ```ts
 * import { ScriptMismatchError } from 'rxtelnet/testing';
 * const error = new ScriptMismatchError(2, 'expectText', '"login: "', '"logout"');
 * error.code; // 'ERR_TELNET_SCRIPT_MISMATCH'
 * ```
 */
export class ScriptMismatchError extends Error {
  readonly _tag = 'ScriptMismatchError';
  readonly code = 'ERR_TELNET_SCRIPT_MISMATCH';
  override readonly name = 'ScriptMismatchError';
  readonly step: number;
  readonly kind: string;
  readonly expected: string;
  readonly received: string;

  constructor(step: number, kind: string, expected: string, received: string) {
    super(`Scripted peer, step ${step} (${kind}):\n  expected: ${expected}\n  received: ${received}`);
    this.step = step;
    this.kind = kind;
    this.expected = expected;
    this.received = received;
  }
}

/**
 * A scripted peer (`rxtelnet/testing`) waited `timeout` ms (on its scheduler's clock) for what a step expects;
 * `received` renders what arrived meanwhile and was not consumed.
 *
 * @example
 * ```ts
 * import { ScriptTimeoutError } from 'rxtelnet/testing';
 * new ScriptTimeoutError(1, 'expectBytes', 'IAC WILL NAWS', 5000, '(nothing)').code; // 'ERR_TELNET_SCRIPT_TIMEOUT'
 * ```
 */
export class ScriptTimeoutError extends Error {
  readonly _tag = 'ScriptTimeoutError';
  readonly code = 'ERR_TELNET_SCRIPT_TIMEOUT';
  override readonly name = 'ScriptTimeoutError';
  readonly step: number;
  readonly kind: string;
  readonly expected: string;
  readonly timeout: number;
  readonly received: string;

  constructor(step: number, kind: string, expected: string, timeout: number, received: string) {
    super(
      `Scripted peer, step ${step} (${kind}): nothing matching arrived within ${timeout} ms\n  expected: ${expected}\n  received: ${received}`,
    );
    this.step = step;
    this.kind = kind;
    this.expected = expected;
    this.timeout = timeout;
    this.received = received;
  }
}

/**
 * Any failure this library delivers on the error channel, negotiation and transport alike; discriminate on `_tag`.
 *
 * @example
 * ```ts
 * import type { TelnetError } from 'rxtelnet';
 * const retryable = (error: TelnetError): boolean =>
 *   error._tag === 'NegotiationTimeoutError' || (error._tag === 'TransportError' && error.code === 'ECONNRESET');
 * ```
 */
export type TelnetError =
  | OptionRefusedError
  | AlreadyEnabledError
  | AlreadyDisabledError
  | AlreadyNegotiatingError
  | NegotiationTimeoutError
  | ConnectionClosedError
  | DecompressionError
  | CharsetRejectedError
  | TransportError
  | WebSocketError
  | ExpectTimeoutError
  | ExpectClosedError
  | LoginFailedError
  | ScriptMismatchError
  | ScriptTimeoutError;

const telnetErrorTags: ReadonlySet<string> = new Set<TelnetError['_tag']>([
  'OptionRefusedError',
  'AlreadyEnabledError',
  'AlreadyDisabledError',
  'AlreadyNegotiatingError',
  'NegotiationTimeoutError',
  'ConnectionClosedError',
  'DecompressionError',
  'CharsetRejectedError',
  'TransportError',
  'WebSocketError',
  'ExpectTimeoutError',
  'ExpectClosedError',
  'LoginFailedError',
  'ScriptMismatchError',
  'ScriptTimeoutError',
]);

/**
 * Whether a value is one of the {@link TelnetError}s. Checks the `_tag` of an `Error` rather than
 * the class, so errors from another copy of the library are recognised too.
 *
 * @example
 * ```ts
 * import { isTelnetError } from 'rxtelnet';
 * const explain = (error: unknown): string => (isTelnetError(error) ? error.code : 'unexpected error');
 * ```
 */
export const isTelnetError = (u: unknown): u is TelnetError =>
  u instanceof Error && '_tag' in u && typeof u._tag === 'string' && telnetErrorTags.has(u._tag);
