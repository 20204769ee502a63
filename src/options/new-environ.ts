/**
 * NEW-ENVIRON (RFC 1572): environment variables sent by the client, and MNES, the MUD NEW-ENVIRON Standard.
 *
 * `SEND [type [name]]...` asks for variables (no list: all of them); `IS` answers it, `INFO` reports changes.
 * Each variable is `VAR|USERVAR name [VALUE value]`; inside names and values the bytes VAR, VALUE, ESC and
 * USERVAR are escaped with ESC. A variable without VALUE is undefined; `VALUE` followed by nothing is an
 * empty value.
 *
 * **Security**: every decoded name and value is an {@link UntrustedString}. Never pass them to a program's
 * arguments or environment: GNU inetutils telnetd passed `USER` through to `login`, and `USER='-f root'`
 * skipped authentication (CVE-2026-24061). OLD-ENVIRON (option 36) is not supported.
 */
import * as E from '#fp-ts/Either';
import { TelnetOption } from '../protocol/options.js';
import { concatBytes, decodeUtf8, encodeUtf8 } from './payload-bytes.js';
import { payloadError, type PayloadError } from './payload-error.js';
import { untrusted, type UntrustedString } from './untrusted-string.js';

/**
 * The NEW-ENVIRON subnegotiation commands.
 *
 * @internal
 */
export const EnvironCommand = { IS: 0, SEND: 1, INFO: 2 } as const;

/**
 * The NEW-ENVIRON type bytes that structure a variable list.
 *
 * @internal
 */
export const EnvironType = { VAR: 0, VALUE: 1, ESC: 2, USERVAR: 3 } as const;

/**
 * The well-known `VAR` names of RFC 1572.
 *
 * @example
 * ```ts
 * import { WellKnownEnvironVariable } from 'rxtelnet';
 * WellKnownEnvironVariable.DISPLAY; // 'DISPLAY'
 * ```
 */
export const WellKnownEnvironVariable = {
  USER: 'USER',
  JOB: 'JOB',
  ACCT: 'ACCT',
  PRINTER: 'PRINTER',
  SYSTEMTYPE: 'SYSTEMTYPE',
  DISPLAY: 'DISPLAY',
} as const;

/**
 * The `VAR` names of MNES, which MUD clients send when their MTTS bit set has MNES (512).
 *
 * @example
 * ```ts
 * import { MnesVariable } from 'rxtelnet/mud';
 * MnesVariable.CLIENT_NAME; // 'CLIENT_NAME'
 * ```
 */
export const MnesVariable = {
  CHARSET: 'CHARSET',
  CLIENT_NAME: 'CLIENT_NAME',
  CLIENT_VERSION: 'CLIENT_VERSION',
  MTTS: 'MTTS',
  TERMINAL_TYPE: 'TERMINAL_TYPE',
  IPADDRESS: 'IPADDRESS',
} as const;

/**
 * Whether a variable is a well-known one (`VAR`) or user-defined (`USERVAR`).
 *
 * @example
 * ```ts
 * import type { EnvironKind } from 'rxtelnet';
 * const kind: EnvironKind = 'USERVAR';
 * ```
 */
export type EnvironKind = 'VAR' | 'USERVAR';

/**
 * One variable of an `IS` or `INFO` list; `value` is absent for an undefined variable.
 * Decoded variables use `UntrustedString`; variables to encode use plain strings.
 *
 * @example
 * ```ts
 * import type { EnvironVariable } from 'rxtelnet';
 * const variable: EnvironVariable = { kind: 'VAR', name: 'CLIENT_NAME', value: 'RXTELNET' };
 * ```
 */
export interface EnvironVariable<S extends string = string> {
  readonly kind: EnvironKind;
  readonly name: S;
  readonly value?: S;
}

/**
 * One entry of a `SEND` list: a variable name, or no name for "all variables of this kind".
 *
 * @example
 * ```ts
 * import type { EnvironRequest } from 'rxtelnet';
 * const everyUserVariable: EnvironRequest = { kind: 'USERVAR' };
 * ```
 */
export interface EnvironRequest<S extends string = string> {
  readonly kind: EnvironKind;
  readonly name?: S;
}

/**
 * A decoded NEW-ENVIRON payload. An empty `SEND` list asks for every variable.
 *
 * @example
 * ```ts
 * import type { EnvironMessage } from 'rxtelnet';
 * const request: EnvironMessage = { _tag: 'Send', requests: [{ kind: 'VAR', name: 'CLIENT_NAME' }] };
 * ```
 */
export type EnvironMessage<S extends string = string> =
  | { readonly _tag: 'Is'; readonly variables: readonly EnvironVariable<S>[] }
  | { readonly _tag: 'Info'; readonly variables: readonly EnvironVariable<S>[] }
  | { readonly _tag: 'Send'; readonly requests: readonly EnvironRequest<S>[] };

/**
 * Bounds on a decoded NEW-ENVIRON payload; sizes are in bytes after ESC unescaping.
 *
 * @example
 * ```ts
 * import { DEFAULT_ENVIRON_LIMITS, type EnvironLimits } from 'rxtelnet';
 * const strict: EnvironLimits = { ...DEFAULT_ENVIRON_LIMITS, maxVariables: 8 };
 * ```
 */
export interface EnvironLimits {
  readonly maxVariables: number;
  readonly maxNameBytes: number;
  readonly maxValueBytes: number;
}

/**
 * The default bounds: 64 variables, names of 128 bytes, values of 1024 bytes.
 *
 * @example
 * ```ts
 * import { DEFAULT_ENVIRON_LIMITS } from 'rxtelnet';
 * DEFAULT_ENVIRON_LIMITS.maxValueBytes; // 1024
 * ```
 */
export const DEFAULT_ENVIRON_LIMITS: EnvironLimits = { maxVariables: 64, maxNameBytes: 128, maxValueBytes: 1024 };

const byteAt = (payload: Uint8Array, index: number): number => payload[index] ?? -1;

const isFieldEnd = (byte: number): boolean =>
  byte === EnvironType.VAR || byte === EnvironType.VALUE || byte === EnvironType.USERVAR;

interface Field {
  readonly text: UntrustedString;
  readonly end: number;
}

/** Reads an ESC-escaped name or value from `start` up to the next unescaped VAR, VALUE or USERVAR. */
const readField = (
  payload: Uint8Array,
  start: number,
  maxBytes: number,
  what: string,
): E.Either<PayloadError, Field> => {
  const out = new Uint8Array(Math.min(maxBytes, payload.length - start));
  let length = 0;
  let index = start;
  for (let byte = byteAt(payload, index); byte !== -1 && !isFieldEnd(byte); byte = byteAt(payload, index)) {
    if (byte === EnvironType.ESC) {
      index += 1;
      byte = byteAt(payload, index);
      if (byte === -1)
        return E.left(payloadError(TelnetOption.NEW_ENVIRON, `offset ${index - 1}`, 'ESC at the end of the payload'));
    }
    if (length === maxBytes) {
      return E.left(payloadError(TelnetOption.NEW_ENVIRON, `offset ${start}`, `${what} longer than ${maxBytes} bytes`));
    }
    out[length++] = byte;
    index += 1;
  }
  return E.map((text: string): Field => ({ text: untrusted(text), end: index }))(
    decodeUtf8(TelnetOption.NEW_ENVIRON, `offset ${start}`, out.subarray(0, length)),
  );
};

const kindOf = (byte: number): EnvironKind | undefined =>
  byte === EnvironType.VAR ? 'VAR' : byte === EnvironType.USERVAR ? 'USERVAR' : undefined;

/** One `type name [VALUE value]` entry as read, with the offsets that error messages need. */
interface Entry {
  readonly kind: EnvironKind;
  readonly name: UntrustedString;
  readonly nameAt: number;
  readonly value: UntrustedString | undefined;
  readonly valueAt: number;
}

const readEntries = (payload: Uint8Array, limits: EnvironLimits): E.Either<PayloadError, Entry[]> => {
  const entries: Entry[] = [];
  let index = 1;
  while (index < payload.length) {
    const kind = kindOf(byteAt(payload, index));
    if (kind === undefined) {
      return E.left(payloadError(TelnetOption.NEW_ENVIRON, `offset ${index}`, 'expected VAR (0) or USERVAR (3)'));
    }
    if (entries.length === limits.maxVariables) {
      return E.left(
        payloadError(TelnetOption.NEW_ENVIRON, `offset ${index}`, `more than ${limits.maxVariables} variables`),
      );
    }
    const nameAt = index + 1;
    const name = readField(payload, nameAt, limits.maxNameBytes, 'name');
    if (E.isLeft(name)) return name;
    index = name.right.end;
    const valueAt = index;
    if (byteAt(payload, index) !== EnvironType.VALUE) {
      entries.push({ kind, name: name.right.text, nameAt, value: undefined, valueAt });
      continue;
    }
    const value = readField(payload, index + 1, limits.maxValueBytes, 'value');
    if (E.isLeft(value)) return value;
    index = value.right.end;
    entries.push({ kind, name: name.right.text, nameAt, value: value.right.text, valueAt });
  }
  return E.right(entries);
};

/** A SEND list: names only, an empty name asking for every variable of its kind. */
const toRequests = (entries: readonly Entry[]): E.Either<PayloadError, EnvironRequest<UntrustedString>[]> => {
  const requests: EnvironRequest<UntrustedString>[] = [];
  for (const { kind, name, value, valueAt } of entries) {
    if (value !== undefined)
      return E.left(payloadError(TelnetOption.NEW_ENVIRON, `offset ${valueAt}`, 'VALUE in a SEND list'));
    requests.push(name === '' ? { kind } : { kind, name });
  }
  return E.right(requests);
};

/** An IS or INFO list: every variable has a name; no VALUE means undefined. */
const toVariables = (entries: readonly Entry[]): E.Either<PayloadError, EnvironVariable<UntrustedString>[]> => {
  const variables: EnvironVariable<UntrustedString>[] = [];
  for (const { kind, name, nameAt, value } of entries) {
    if (name === '') return E.left(payloadError(TelnetOption.NEW_ENVIRON, `offset ${nameAt}`, 'empty variable name'));
    variables.push(value === undefined ? { kind, name } : { kind, name, value });
  }
  return E.right(variables);
};

/**
 * Decodes a NEW-ENVIRON payload within `limits`. Names and values are {@link UntrustedString}s.
 *
 * @example
 * ```ts
 * import { decodeEnviron } from 'rxtelnet';
 * // IS VAR "USER" VALUE "ann"
 * decodeEnviron(Uint8Array.of(0, 0, 0x55, 0x53, 0x45, 0x52, 1, 0x61, 0x6e, 0x6e));
 * // right({ _tag: 'Is', variables: [{ kind: 'VAR', name: 'USER', value: 'ann' }] })
 * ```
 */
export const decodeEnviron = (
  payload: Uint8Array,
  limits: EnvironLimits = DEFAULT_ENVIRON_LIMITS,
): E.Either<PayloadError, EnvironMessage<UntrustedString>> => {
  const command = payload[0];
  if (command !== EnvironCommand.IS && command !== EnvironCommand.SEND && command !== EnvironCommand.INFO) {
    return E.left(
      payloadError(
        TelnetOption.NEW_ENVIRON,
        'offset 0',
        `expected IS (0), SEND (1) or INFO (2), got ${command ?? 'nothing'}`,
      ),
    );
  }
  const entries = readEntries(payload, limits);
  if (E.isLeft(entries)) return entries;
  if (command === EnvironCommand.SEND) {
    return E.map((requests: EnvironRequest<UntrustedString>[]): EnvironMessage<UntrustedString> => ({
      _tag: 'Send',
      requests,
    }))(toRequests(entries.right));
  }
  const tag = command === EnvironCommand.IS ? 'Is' : 'Info';
  return E.map((variables: EnvironVariable<UntrustedString>[]): EnvironMessage<UntrustedString> => ({
    _tag: tag,
    variables,
  }))(toVariables(entries.right));
};

/** The UTF-8 bytes of `text` with VAR, VALUE, ESC and USERVAR escaped. */
const escapeField = (text: string): Uint8Array => {
  const raw = encodeUtf8(text);
  let specials = 0;
  for (const byte of raw) if (byte <= EnvironType.USERVAR) specials += 1;
  if (specials === 0) return raw;
  const out = new Uint8Array(raw.length + specials);
  let at = 0;
  for (const byte of raw) {
    if (byte <= EnvironType.USERVAR) out[at++] = EnvironType.ESC;
    out[at++] = byte;
  }
  return out;
};

const typeByte = (kind: EnvironKind): number => (kind === 'VAR' ? EnvironType.VAR : EnvironType.USERVAR);

/**
 * Encodes a NEW-ENVIRON message, escaping names and values. A `SEND` request with no name asks for all.
 *
 * @example
 * ```ts
 * import { encodeEnviron } from 'rxtelnet';
 * import { MnesVariable } from 'rxtelnet/mud';
 * const ask = encodeEnviron({
 *   _tag: 'Send',
 *   requests: [{ kind: 'VAR', name: MnesVariable.CLIENT_NAME }, { kind: 'VAR', name: MnesVariable.MTTS }],
 * });
 * const answer = encodeEnviron({ _tag: 'Is', variables: [{ kind: 'VAR', name: 'CLIENT_NAME', value: 'RXTELNET' }] });
 * ```
 */
export const encodeEnviron = (message: EnvironMessage): Uint8Array => {
  const parts: (number | Uint8Array)[] = [];
  if (message._tag === 'Send') {
    parts.push(EnvironCommand.SEND);
    for (const request of message.requests) {
      parts.push(typeByte(request.kind));
      if (request.name !== undefined) parts.push(escapeField(request.name));
    }
  } else {
    parts.push(message._tag === 'Is' ? EnvironCommand.IS : EnvironCommand.INFO);
    for (const variable of message.variables) {
      parts.push(typeByte(variable.kind), escapeField(variable.name));
      if (variable.value !== undefined) parts.push(EnvironType.VALUE, escapeField(variable.value));
    }
  }
  return concatBytes(parts);
};
