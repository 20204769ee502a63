/**
 * TERMINAL-TYPE (RFC 1091) and the MUD Terminal Type Standard (MTTS) layered on it.
 *
 * The server sends `SEND`; the client answers `IS name`. Asked again, a client gives its next name and repeats
 * the last one at the end of its list. MTTS clients answer, in order: their client name, a terminal type, then
 * `MTTS <bits>` with the capability bits of {@link MttsBit}.
 */
import * as E from '#fp-ts/Either';
import { TelnetOption } from '../protocol/options.js';
import { decodeIsSend, IsSendCommand } from './is-send.js';
import { concatBytes, decodeUtf8, encodeUtf8 } from './payload-bytes.js';
import { payloadError, type PayloadError } from './payload-error.js';
import { untrusted, type UntrustedString } from './untrusted-string.js';

/**
 * The longest terminal type name accepted, in bytes: 64. RFC 1010 names stay under 40 characters;
 * the margin admits longer client names.
 *
 * @example
 * ```ts
 * import { MAX_TTYPE_NAME_LENGTH } from 'rxtelnet';
 * MAX_TTYPE_NAME_LENGTH; // 64
 * ```
 */
export const MAX_TTYPE_NAME_LENGTH = 64;

/**
 * How many `IS` answers a server collects at most before it stops asking: 8.
 *
 * @example
 * ```ts
 * import { MAX_TTYPE_ANSWERS } from 'rxtelnet';
 * MAX_TTYPE_ANSWERS; // 8
 * ```
 */
export const MAX_TTYPE_ANSWERS = 8;

/**
 * A decoded TTYPE payload: the client's answer, or the server's request.
 *
 * @example
 * ```ts
 * import type { TtypeMessage } from 'rxtelnet';
 * const answer: TtypeMessage = { _tag: 'Send' };
 * ```
 */
export type TtypeMessage = { readonly _tag: 'Is'; readonly name: UntrustedString } | { readonly _tag: 'Send' };

/**
 * Decodes a TTYPE payload. The name is peer text (it becomes `TERM` in many servers): see {@link UntrustedString}.
 *
 * @example
 * ```ts
 * import { decodeTtype } from 'rxtelnet';
 * decodeTtype(Uint8Array.of(0, 0x41, 0x4e, 0x53, 0x49)); // right({ _tag: 'Is', name: 'ANSI' })
 * decodeTtype(Uint8Array.of(1)); // right({ _tag: 'Send' })
 * ```
 */
export const decodeTtype = (
  payload: Uint8Array,
  maxNameLength: number = MAX_TTYPE_NAME_LENGTH,
): E.Either<PayloadError, TtypeMessage> =>
  decodeIsSend(TelnetOption.TTYPE, payload, (nameBytes): E.Either<PayloadError, TtypeMessage> => {
    if (nameBytes.length === 0) return E.left(payloadError(TelnetOption.TTYPE, 'offset 1', 'empty terminal type'));
    if (nameBytes.length > maxNameLength) {
      return E.left(payloadError(TelnetOption.TTYPE, 'offset 1', `terminal type longer than ${maxNameLength} bytes`));
    }
    return E.map((name: string): TtypeMessage => ({ _tag: 'Is', name: untrusted(name) }))(
      decodeUtf8(TelnetOption.TTYPE, 'offset 1', nameBytes),
    );
  });

/**
 * The payload of `IS name`, the client's answer.
 *
 * @example
 * ```ts
 * import { encodeTtypeIs } from 'rxtelnet';
 * encodeTtypeIs('XTERM'); // Uint8Array [0, 0x58, 0x54, 0x45, 0x52, 0x4d]
 * ```
 */
export const encodeTtypeIs = (name: string): Uint8Array => concatBytes([IsSendCommand.IS, encodeUtf8(name)]);

/**
 * The payload of `SEND`, the server's request.
 *
 * @example
 * ```ts
 * import { encodeTtypeSend } from 'rxtelnet';
 * encodeTtypeSend(); // Uint8Array [1]
 * ```
 */
export const encodeTtypeSend = (): Uint8Array => Uint8Array.of(IsSendCommand.SEND);

// ---------------------------------------------------------------------------------------------- MTTS

/**
 * The MTTS capabilities as named booleans.
 *
 * @example
 * ```ts
 * import { mttsFromBits, type MttsFlags } from 'rxtelnet/mud';
 * const flags: MttsFlags = mttsFromBits(137); // ansi, utf8, proxy... see MttsBit
 * ```
 */
export interface MttsFlags {
  readonly ansi: boolean;
  readonly vt100: boolean;
  readonly utf8: boolean;
  readonly colors256: boolean;
  readonly mouseTracking: boolean;
  readonly oscColorPalette: boolean;
  readonly screenReader: boolean;
  readonly proxy: boolean;
  readonly truecolor: boolean;
  readonly mnes: boolean;
  readonly mslp: boolean;
  readonly ssl: boolean;
}

/**
 * The bit of each MTTS capability: ANSI=1, VT100=2, UTF-8=4, 256 COLORS=8, MOUSE TRACKING=16,
 * OSC COLOR PALETTE=32, SCREEN READER=64, PROXY=128, TRUECOLOR=256, MNES=512, MSLP=1024, SSL=2048.
 *
 * @example
 * ```ts
 * import { MttsBit } from 'rxtelnet/mud';
 * MttsBit.truecolor; // 256
 * ```
 */
export const MttsBit = {
  ansi: 1,
  vt100: 2,
  utf8: 4,
  colors256: 8,
  mouseTracking: 16,
  oscColorPalette: 32,
  screenReader: 64,
  proxy: 128,
  truecolor: 256,
  mnes: 512,
  mslp: 1024,
  ssl: 2048,
} as const satisfies Record<keyof MttsFlags, number>;

const mttsKeys = Object.keys(MttsBit) as (keyof MttsFlags)[];

/**
 * The flags of an MTTS bit set; bits with no name are ignored.
 *
 * @example
 * ```ts
 * import { mttsFromBits } from 'rxtelnet/mud';
 * mttsFromBits(5).utf8; // true (5 = ANSI + UTF-8)
 * ```
 */
export const mttsFromBits = (bits: number): MttsFlags => {
  const flags = {} as Record<keyof MttsFlags, boolean>;
  for (const key of mttsKeys) flags[key] = (bits & MttsBit[key]) !== 0;
  return flags;
};

/**
 * The MTTS bit set of some flags.
 *
 * @example
 * ```ts
 * import { mttsFromBits, mttsToBits } from 'rxtelnet/mud';
 * mttsToBits(mttsFromBits(137)); // 137
 * ```
 */
export const mttsToBits = (flags: MttsFlags): number =>
  mttsKeys.reduce((bits, key) => (flags[key] ? bits | MttsBit[key] : bits), 0);

const mttsPattern = /^MTTS (\d{1,10})$/i;

/**
 * Reads a terminal type of the form `MTTS <decimal bits>` (case-insensitive); `undefined` for any other name.
 *
 * @example
 * ```ts
 * import { parseMtts } from 'rxtelnet/mud';
 * parseMtts('MTTS 137')?.proxy; // true
 * parseMtts('XTERM'); // undefined
 * ```
 */
export const parseMtts = (name: string): MttsFlags | undefined => {
  const digits = mttsPattern.exec(name)?.[1];
  return digits === undefined ? undefined : mttsFromBits(Number(digits));
};

/**
 * Formats flags as the MTTS terminal type, e.g. `'MTTS 137'`.
 *
 * @example
 * ```ts
 * import { formatMtts, mttsFromBits } from 'rxtelnet/mud';
 * formatMtts(mttsFromBits(9)); // 'MTTS 9'
 * ```
 */
export const formatMtts = (flags: MttsFlags): string => `MTTS ${mttsToBits(flags)}`;

// ------------------------------------------------------------------------------------- client side

/**
 * The client's position in its list of answers to successive `SEND` requests.
 *
 * @internal
 */
export interface TtypeAnswers {
  readonly names: readonly [string, ...string[]];
  /** How many answers were given so far (never more than `names.length`). */
  readonly sent: number;
}

/**
 * The initial answer state of a client that will answer with `names`, in order.
 *
 * @internal
 */
export const ttypeAnswers = (names: readonly [string, ...string[]]): TtypeAnswers => ({ names, sent: 0 });

/**
 * The name to answer the next `SEND` with, and the state after it: the n-th request gets `names[n]`,
 * and every request after the last name gets the last name again (that repeat tells the server the list ended).
 *
 * @internal
 */
export const nextTtypeAnswer = (state: TtypeAnswers): readonly [string, TtypeAnswers] => {
  const index = Math.min(state.sent, state.names.length - 1);
  const name = state.names[index] ?? state.names[0];
  return [name, { names: state.names, sent: Math.min(state.sent + 1, state.names.length) }];
};

/**
 * The three answers of an MTTS client: its name, its terminal type, then `MTTS <bits>`.
 *
 * @example
 * ```ts
 * import { answerTerminalType, createConnection } from 'rxtelnet';
 * import { mttsFromBits, mttsTerminalTypes } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const names = mttsTerminalTypes('RXTELNET', 'XTERM-256COLOR', mttsFromBits(1 | 4 | 8));
 * answerTerminalType(createConnection(transport), names).subscribe();
 * ```
 */
export const mttsTerminalTypes = (
  clientName: string,
  terminalType: string,
  flags: MttsFlags,
): readonly [string, string, string] => [clientName, terminalType, formatMtts(flags)];

// ------------------------------------------------------------------------------------- server side

/**
 * What a server learnt from the client's answers.
 *
 * `clientName` is the first answer (MTTS clients put their name there; other clients their terminal type),
 * `terminalType` the second answer (the first one if there was only one), `mtts` the flags of the first
 * answer of the form `MTTS <bits>`, if any.
 *
 * @example
 * ```ts
 * import type { TtypeReport } from 'rxtelnet';
 * const describe = (report: TtypeReport): string =>
 *   `${report.clientName} as ${report.terminalType}, UTF-8: ${report.mtts?.utf8 ?? false}`;
 * ```
 */
export interface TtypeReport {
  readonly names: readonly [UntrustedString, ...UntrustedString[]];
  readonly clientName: UntrustedString;
  readonly terminalType: UntrustedString;
  readonly mtts: MttsFlags | undefined;
}

/**
 * The answers a server collected so far (see {@link collectTtype}).
 *
 * @internal
 */
export interface TtypeCollection {
  readonly names: readonly UntrustedString[];
}

/**
 * The empty collection a server starts from, before its first `SEND`.
 *
 * @internal
 */
export const initialTtypeCollection: TtypeCollection = { names: [] };

/**
 * One step of {@link collectTtype}: `SendAgain` (send another `SEND`, keep `state`) or `Complete`.
 *
 * @internal
 */
export type TtypeCollectStep =
  | { readonly _tag: 'SendAgain'; readonly state: TtypeCollection }
  | { readonly _tag: 'Complete'; readonly report: TtypeReport };

const reportOf = (names: readonly [UntrustedString, ...UntrustedString[]]): TtypeReport => {
  let mtts: MttsFlags | undefined;
  for (const name of names) {
    mtts = parseMtts(name);
    if (mtts !== undefined) break;
  }
  return { names, clientName: names[0], terminalType: names[1] ?? names[0], mtts };
};

/**
 * The server's reducer over successive `IS` answers: it collects names until one repeats a name already seen
 * (the client's list ended or cycled) or `maxAnswers` names were collected, then completes with a report.
 *
 * @internal
 */
export const collectTtype = (
  state: TtypeCollection,
  name: UntrustedString,
  maxAnswers: number = MAX_TTYPE_ANSWERS,
): TtypeCollectStep => {
  const [first, ...rest] = state.names;
  if (first !== undefined && state.names.includes(name))
    return { _tag: 'Complete', report: reportOf([first, ...rest]) };
  const names: readonly [UntrustedString, ...UntrustedString[]] = first === undefined ? [name] : [first, ...rest, name];
  return names.length >= maxAnswers
    ? { _tag: 'Complete', report: reportOf(names) }
    : { _tag: 'SendAgain', state: { names } };
};
