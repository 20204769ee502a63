import { encodeData } from '../codec/encoder.js';
import type { NegotiationVerb } from '../codec/events.js';
import { Command } from '../protocol/commands.js';
import type { TextEncodingName } from '../text/encodings.js';
import { encodeString } from '../text/encoder.js';
import { timeoutOption } from '../protocol/durations.js';

/**
 * One step of a {@link scriptedPeer}'s script; build them with `expectBytes`, `expectText`, `expectMatch`,
 * `expectNegotiation`, `expectClosed`, `send`, `sendText`, `negotiate`, `wait` and `close`.
 *
 * @example
 * ```ts
 * import { expectText, sendText, type PeerStep } from 'rxtelnet/testing';
 * const steps: readonly PeerStep[] = [sendText('login: '), expectText('admin\r\n')];
 * ```
 */
export type PeerStep =
  | {
      readonly _tag: 'ExpectBytes';
      readonly kind: string;
      readonly bytes: Uint8Array;
      readonly timeout: number | undefined;
    }
  | { readonly _tag: 'ExpectMatch'; readonly pattern: RegExp; readonly timeout: number | undefined }
  | {
      readonly _tag: 'ExpectNegotiation';
      readonly verb: NegotiationVerb;
      readonly option: number;
      readonly timeout: number | undefined;
    }
  | { readonly _tag: 'ExpectClosed'; readonly timeout: number | undefined }
  | { readonly _tag: 'Send'; readonly bytes: Uint8Array }
  | { readonly _tag: 'Negotiate'; readonly verb: NegotiationVerb; readonly option: number }
  | { readonly _tag: 'Wait'; readonly ms: number }
  | { readonly _tag: 'Close' };

/**
 * How long an expect step waits, in ms on the peer's scheduler; default the peer's `timeout`.
 *
 * @example
 * ```ts
 * import type { StepOptions } from 'rxtelnet/testing';
 * const patient: StepOptions = { timeout: 30_000 };
 * ```
 */
export interface StepOptions {
  readonly timeout?: number;
}

const { IAC, WILL, WONT, DO, DONT } = Command;
const negotiationVerbs: ReadonlySet<number> = new Set([WILL, WONT, DO, DONT]);

/** A timeout given to the kit (see `timeoutOption`), or undefined for the peer's own. */
const checkedTimeout = (timeout: number | undefined): number | undefined =>
  timeout === undefined ? undefined : timeoutOption('timeout', timeout, timeout);

const bytesOf = (bytes: Uint8Array | readonly number[]): Uint8Array => {
  if (!(bytes instanceof Uint8Array) && !bytes.every((byte) => Number.isInteger(byte) && byte >= 0 && byte <= 255)) {
    throw new TypeError('bytes must be a Uint8Array or an array of byte values (0-255)');
  }
  return Uint8Array.from(bytes);
};

/** Where an expected byte sequence holds a negotiation command, which expect steps never see. */
const negotiationAt = (bytes: Uint8Array): number => {
  for (let index = 0; index + 1 < bytes.length; index++) {
    if (bytes[index] !== IAC) continue;
    if (negotiationVerbs.has(bytes[index + 1] ?? 0)) return index;
    index++; // IAC IAC and other commands
  }
  return -1;
};

const expectedBytes = (kind: string, bytes: Uint8Array, options: StepOptions): PeerStep => {
  if (negotiationAt(bytes) !== -1) {
    throw new RangeError(`${kind}: negotiations are matched apart, by expectNegotiation, not as bytes`);
  }
  return { _tag: 'ExpectBytes', kind, bytes, timeout: checkedTimeout(options.timeout) };
};

/**
 * Expects exactly these bytes next from the connection, Telnet commands and subnegotiations included as they
 * are on the wire (data with IAC doubled). Negotiations (`IAC WILL/WONT/DO/DONT`) are kept apart: match them
 * with {@link expectNegotiation}. A difference fails the script at once with a `ScriptMismatchError`.
 *
 * @example
 * ```ts
 * import { Command, TelnetOption } from 'rxtelnet';
 * import { expectBytes } from 'rxtelnet/testing';
 * const { IAC, SB, SE } = Command;
 * const windowSize = expectBytes([IAC, SB, TelnetOption.NAWS, 0, 80, 0, 24, IAC, SE]);
 * ```
 */
export const expectBytes = (bytes: Uint8Array | readonly number[], options: StepOptions = {}): PeerStep =>
  expectedBytes('expectBytes', bytesOf(bytes), options);

/**
 * Expects exactly this text next, encoded in `encoding` (default UTF-8) with IAC doubled; newlines are as the
 * connection sends them, so `write('admin\n')` arrives as `'admin\r\n'`.
 *
 * @example
 * ```ts
 * import { expectText } from 'rxtelnet/testing';
 * const user = expectText('admin\r\n');
 * ```
 */
export const expectText = (
  text: string,
  options: StepOptions & { readonly encoding?: TextEncodingName } = {},
): PeerStep => expectedBytes('expectText', encodeData(encodeString(text, options.encoding ?? 'utf-8')), options);

/**
 * Waits until what the connection sent matches `pattern` and consumes it through the match, skipping what
 * came before. The bytes are read as Latin-1 (one character per byte, Telnet commands included as their bytes),
 * so write a non-ASCII character of a pattern as its encoded bytes.
 *
 * @example
 * ```ts
 * import { expectMatch } from 'rxtelnet/testing';
 * const anyCommand = expectMatch(/\w+\r\n/);
 * ```
 */
export const expectMatch = (pattern: RegExp, options: StepOptions = {}): PeerStep => ({
  _tag: 'ExpectMatch',
  pattern,
  timeout: checkedTimeout(options.timeout),
});

/**
 * Waits for the connection to send this negotiation, in whatever order it sends its negotiations (the others
 * stay for later steps). With a profile the peer has answered it already.
 *
 * @example
 * ```ts
 * import { TelnetOption } from 'rxtelnet';
 * import { expectNegotiation } from 'rxtelnet/testing';
 * const agreesToEcho = expectNegotiation('DO', TelnetOption.ECHO);
 * ```
 */
export const expectNegotiation = (verb: NegotiationVerb, option: number, options: StepOptions = {}): PeerStep => ({
  _tag: 'ExpectNegotiation',
  verb,
  option,
  timeout: checkedTimeout(options.timeout),
});

/**
 * Waits for the connection to close its side; anything but negotiations arriving first is a mismatch.
 *
 * @example
 * ```ts
 * import { expectClosed } from 'rxtelnet/testing';
 * const hangsUp = expectClosed({ timeout: 1000 });
 * ```
 */
export const expectClosed = (options: StepOptions = {}): PeerStep => ({
  _tag: 'ExpectClosed',
  timeout: checkedTimeout(options.timeout),
});

/**
 * Sends these bytes as they are (nothing escaped): any Telnet sequence, even a broken one.
 *
 * @example
 * ```ts
 * import { Command } from 'rxtelnet';
 * import { send } from 'rxtelnet/testing';
 * const goAhead = send([Command.IAC, Command.GA]);
 * ```
 */
export const send = (bytes: Uint8Array | readonly number[]): PeerStep => ({ _tag: 'Send', bytes: bytesOf(bytes) });

/**
 * Sends text in `encoding` (default UTF-8), IAC doubled and each bare `\n` sent as `\r\n` (NVT newlines).
 *
 * @example
 * ```ts
 * import { sendText } from 'rxtelnet/testing';
 * const banner = sendText('Welcome!\nlogin: ');
 * ```
 */
export const sendText = (text: string, options: { readonly encoding?: TextEncodingName } = {}): PeerStep => ({
  _tag: 'Send',
  bytes: encodeData(encodeString(text, options.encoding ?? 'utf-8'), { newline: 'nvt' }),
});

/**
 * Asks the connection to enable (`WILL`, `DO`) or disable (`WONT`, `DONT`) an option. With a profile the
 * peer's RFC 1143 state decides what goes out (nothing when the option is already in that state) and it takes
 * the answer; without one the bytes are sent as they are. The script goes on at once: check the answer with
 * {@link expectNegotiation}.
 *
 * @example
 * ```ts
 * import { TelnetOption } from 'rxtelnet';
 * import { negotiate } from 'rxtelnet/testing';
 * const askForWindowSize = negotiate('DO', TelnetOption.NAWS);
 * ```
 */
export const negotiate = (verb: NegotiationVerb, option: number): PeerStep => ({ _tag: 'Negotiate', verb, option });

/**
 * Lets `ms` pass on the peer's scheduler (virtual time under a `TestScheduler`).
 *
 * @example
 * ```ts
 * import { wait } from 'rxtelnet/testing';
 * const pause = wait(250);
 * ```
 */
export const wait = (ms: number): PeerStep => {
  if (!(ms >= 0 && ms < Infinity)) throw new RangeError(`wait needs a finite number of ms >= 0, got ${ms}`);
  return { _tag: 'Wait', ms };
};

/**
 * Closes the peer's side: the connection reads what was sent before, then sees the end.
 *
 * @example
 * ```ts
 * import { close, sendText } from 'rxtelnet/testing';
 * const hangUp = [sendText('Bye!\n'), close()];
 * ```
 */
export const close = (): PeerStep => ({ _tag: 'Close' });
