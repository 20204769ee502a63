/**
 * Pure formatting of Telnet events for `--trace` and the proxy log: one short line per event, decoded where the
 * library has a codec for the option (`SB NAWS 80x24`, `SB TTYPE IS "xterm"`, `SB GMCP Char.Vitals {"hp":10}`).
 *
 * @module
 */
import * as E from '#fp-ts/Either';
import {
  commandName,
  decodeCharset,
  decodeEnviron,
  decodeNaws,
  decodeTspeed,
  decodeTtype,
  decodeXdisploc,
  TelnetOption,
  optionName,
} from '../index.js';
import { decodeGmcp, decodeMsdp, decodeMssp } from '../mud/index.js';
import type {
  CharsetMessage,
  CompressionEvent,
  EnvironMessage,
  PayloadError,
  TelnetEvent,
  TspeedMessage,
  TtypeMessage,
  WindowSize,
  XdisplocMessage,
} from '../index.js';
import type { GmcpMessage, MsdpValue, MsdpVariable, MsspTable } from '../mud/index.js';

/** How many characters of data or payload text a trace line shows before it cuts. */
export const MAX_TRACED_TEXT = 160;

/** How many characters a whole trace or log line shows before it cuts (see {@link safeLine}). */
export const MAX_LINE_LENGTH = 400;

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Characters a terminal may act on: C0 controls (ESC starts ANSI sequences), DEL, C1 controls (U+009B is CSI on
 * some terminals), the line and paragraph separators, and the bidirectional marks, embeddings, overrides and
 * isolates (which reorder the rest of the line on screen).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const unsafeCharacters = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` with every character a terminal could act on written as a `\uXXXX` escape, so that peer data in a log
 * line can neither move the cursor, change colours, nor split or reorder the line.
 *
 * @example
 * ```text
 * escapeControls('red \x1b[31m'); // 'red \\u001b[31m'
 * ```
 */
export const escapeControls = (text: string): string =>
  text.replace(unsafeCharacters, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * `text` cut after `max` characters with a mark that says how much was left out (`... (+1048000 chars)`).
 *
 * @example
 * ```text
 * elide('abcdef', 3); // 'abc... (+3 chars)'
 * ```
 */
export const elide = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max)}... (+${text.length - max} chars)`;

/**
 * A line safe to print whatever it holds: control characters escaped ({@link escapeControls}), cut after
 * {@link MAX_LINE_LENGTH} characters with a mark naming the length it had.
 *
 * @example
 * ```text
 * safeLine('SB GMCP \x1b]0;pwned\x07'); // 'SB GMCP \\u001b]0;pwned\\u0007'
 * ```
 */
export const safeLine = (text: string): string => {
  const escaped = escapeControls(text.slice(0, MAX_LINE_LENGTH));
  return text.length <= MAX_LINE_LENGTH && escaped.length <= MAX_LINE_LENGTH
    ? escaped
    : `${escaped.slice(0, MAX_LINE_LENGTH)}... (cut from ${text.length} chars)`;
};

/**
 * Text as a JSON string literal (control characters escaped, so the line stays one line), cut after `max`
 * characters with a `...` mark.
 *
 * @example
 * ```text
 * quoteText('look\r\n'); // '"look\\r\\n"'
 * ```
 */
export const quoteText = (text: string, max: number = MAX_TRACED_TEXT): string =>
  text.length <= max ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, max))}... (+${text.length - max} chars)`;

/**
 * Bytes as two-digit hex, space separated, cut after `max` bytes.
 *
 * @example
 * ```text
 * hexBytes(Uint8Array.of(0, 255)); // '00 ff'
 * ```
 */
export const hexBytes = (bytes: Uint8Array, max: number = MAX_TRACED_TEXT / 4): string => {
  const shown = Array.from(bytes.subarray(0, max), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  return bytes.length > max ? `${shown} ... (+${bytes.length - max} bytes)` : shown;
};

/** JSON.stringify as it behaves: undefined (not a string, whatever its type says) for undefined and functions. */
const stringify: (value: unknown) => string | undefined = JSON.stringify;

/**
 * A value from the peer as compact JSON cut after `max` characters; never throws, whatever the value (a cycle, a
 * BigInt, or nesting deep enough to overflow the stack give a placeholder instead).
 *
 * @example
 * ```text
 * compactJson({ hp: 10 }); // '{"hp":10}'
 * ```
 */
export const compactJson = (value: unknown, max: number = MAX_TRACED_TEXT): string => {
  let text: string | undefined;
  try {
    text = stringify(value);
  } catch (error) {
    return `<unprintable: ${error instanceof Error ? error.name : 'error'}>`;
  }
  if (text === undefined) return String(value);
  return elide(text, max);
};

const payloadFailure = (error: PayloadError, payload: Uint8Array): string =>
  `<bad payload at ${error.path}: ${error.detail}> ${hexBytes(payload)}`;

const describeMssp = (table: MsspTable): string =>
  Object.entries(table)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? quoteText(value) : compactJson(value)}`)
    .join(' ');

const describeMsdpValue = (value: MsdpValue): string =>
  typeof value === 'string' ? quoteText(value) : compactJson(value);

const describeEnviron = (message: EnvironMessage): string => {
  if (message._tag === 'Send') {
    const wanted = message.requests.map((request) =>
      request.name === undefined ? request.kind : `${request.kind} ${quoteText(request.name)}`,
    );
    return wanted.length === 0 ? 'SEND' : `SEND ${wanted.join(' ')}`;
  }
  const variables = message.variables.map((variable) =>
    variable.value === undefined
      ? `${variable.kind} ${variable.name}`
      : `${variable.kind} ${variable.name}=${quoteText(variable.value)}`,
  );
  return [message._tag.toUpperCase(), ...variables].join(' ');
};

const describeCharset = (message: CharsetMessage): string => {
  switch (message._tag) {
    case 'Request':
      return `REQUEST ${message.charsets.join(' ')}`;
    case 'Accepted':
      return `ACCEPTED ${message.charset}`;
    default:
      return message._tag.toUpperCase();
  }
};

const sendOr =
  <M extends { readonly _tag: string }>(describeIs: (message: Exclude<M, { readonly _tag: 'Send' }>) => string) =>
  (message: M): string =>
    message._tag === 'Send' ? 'SEND' : describeIs(message as Exclude<M, { readonly _tag: 'Send' }>);

/** The decoded text of a payload of the options the library has codecs for; `undefined` for other options. */
const decodePayload = (option: number, payload: Uint8Array): E.Either<PayloadError, string> | undefined => {
  switch (option) {
    case TelnetOption.NAWS:
      return E.map((size: WindowSize) => `${size.width}x${size.height}`)(decodeNaws(payload));
    case TelnetOption.TTYPE:
      return E.map(sendOr<TtypeMessage>((message) => `IS ${quoteText(message.name)}`))(decodeTtype(payload));
    case TelnetOption.TSPEED:
      return E.map(sendOr<TspeedMessage>((message) => `IS ${message.transmit},${message.receive}`))(
        decodeTspeed(payload),
      );
    case TelnetOption.XDISPLOC:
      return E.map(sendOr<XdisplocMessage>((message) => `IS ${quoteText(message.location)}`))(decodeXdisploc(payload));
    case TelnetOption.NEW_ENVIRON:
      return E.map(describeEnviron)(decodeEnviron(payload));
    case TelnetOption.GMCP:
      return E.map((message: GmcpMessage) =>
        message.json === undefined ? message.name : `${message.name} ${compactJson(message.json)}`,
      )(decodeGmcp(payload));
    case TelnetOption.MSSP:
      return E.map(describeMssp)(decodeMssp(payload));
    case TelnetOption.MSDP:
      return E.map((variables: readonly MsdpVariable[]) =>
        variables.map((variable) => `${variable.name}=${describeMsdpValue(variable.value)}`).join(' '),
      )(decodeMsdp(payload));
    case TelnetOption.CHARSET:
      return E.map(describeCharset)(decodeCharset(payload));
    default:
      return undefined;
  }
};

/**
 * A subnegotiation as `SB NAME decoded-payload`: decoded for NAWS, TTYPE, TSPEED, XDISPLOC, NEW-ENVIRON, GMCP,
 * MSSP, MSDP and CHARSET; an empty payload (the MCCP start marker) is `SB NAME` alone; other payloads in hex.
 *
 * @example
 * ```text
 * describeSubnegotiation(TelnetOption.NAWS, Uint8Array.of(0, 80, 0, 24)); // 'SB NAWS 80x24'
 * describeSubnegotiation(TelnetOption.TTYPE, Uint8Array.of(1));            // 'SB TTYPE SEND'
 * ```
 */
export const describeSubnegotiation = (option: number, payload: Uint8Array): string => {
  const head = `SB ${optionName(option)}`;
  if (payload.length === 0) return head;
  const decoded = decodePayload(option, payload);
  if (decoded === undefined) return `${head} ${hexBytes(payload)}`;
  return `${head} ${E.isRight(decoded) ? decoded.right : payloadFailure(decoded.left, payload)}`;
};

/**
 * Application data as `DATA <n> bytes "text"`, the text decoded as UTF-8 and escaped.
 *
 * @example
 * ```text
 * describeData(new TextEncoder().encode('look\r\n')); // 'DATA 6 bytes "look\r\n"'
 * ```
 */
export const describeData = (bytes: Uint8Array): string => {
  // A character takes at most 4 bytes: this prefix holds every character shown, so a 1 MB chunk is not decoded whole.
  const decoded = utf8.decode(bytes.subarray(0, MAX_TRACED_TEXT * 4));
  const cut = decoded.length > MAX_TRACED_TEXT || bytes.length > MAX_TRACED_TEXT * 4;
  return `DATA ${bytes.length} byte${bytes.length === 1 ? '' : 's'} ${JSON.stringify(decoded.slice(0, MAX_TRACED_TEXT))}${cut ? '...' : ''}`;
};

/**
 * One decoded event as text: `DO NAWS`, `GA`, `SB GMCP Core.Ping`, `DATA 3 bytes "hi\n"`,
 * `WARNING StraySE: ...`. Unknown option and command bytes show as numbers.
 *
 * @example
 * ```text
 * describeEvent({ _tag: 'Negotiation', verb: 'DO', option: 31 }); // 'DO NAWS'
 * describeEvent({ _tag: 'Command', command: 249 });               // 'GA'
 * ```
 */
export const describeEvent = (event: TelnetEvent): string => {
  switch (event._tag) {
    case 'Data':
      return describeData(event.bytes);
    case 'Command':
      return commandName(event.command);
    case 'Negotiation':
      return `${event.verb} ${optionName(event.option)}`;
    case 'Subnegotiation':
      return describeSubnegotiation(event.option, event.payload);
    case 'Warning':
      return `WARNING ${event.code}: ${event.detail}`;
  }
};

/**
 * A compressed stream starting or ending: `MCCP2 compression started`, `MCCP3 compression ended`.
 *
 * @example
 * ```text
 * describeCompression({ _tag: 'CompressionStarted', direction: 'input', option: 86 }); // 'MCCP2 compression started'
 * ```
 */
export const describeCompression = (event: CompressionEvent): string =>
  `${optionName(event.option)} compression ${event._tag === 'CompressionStarted' ? 'started' : 'ended'}`;

/**
 * A trace line: the arrow (`<<` received, `>>` sent, or the proxy's `C->S` / `S->C`), a space, the text.
 *
 * @example
 * ```text
 * traceLine('<<', 'DO NAWS'); // '<< DO NAWS'
 * ```
 */
export const traceLine = (arrow: string, text: string): string => `${arrow} ${safeLine(text)}`;
