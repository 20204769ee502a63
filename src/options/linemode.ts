/**
 * LINEMODE (RFC 1184), decoded only as far as needed to refuse it safely.
 *
 * rxtelnet refuses LINEMODE by default. This module decodes the `MODE` and `SLC` subcommands with a bound on
 * the number of SLC triplets (GNU inetutils telnetd overflowed a fixed buffer on too many triplets,
 * CVE-2026-32746) and answers a `PayloadError` for anything else, `FORWARDMASK` included.
 */
import * as E from '#fp-ts/Either';
import { TelnetOption } from '../protocol/options.js';
import { payloadError, type PayloadError } from './payload-error.js';

/**
 * The LINEMODE subcommands.
 *
 * @internal
 */
export const LinemodeCommand = { MODE: 1, FORWARDMASK: 2, SLC: 3 } as const;

/**
 * The bits of the `MODE` mask.
 *
 * @example
 * ```ts
 * import { LinemodeModeBit } from 'rxtelnet';
 * LinemodeModeBit.EDIT; // 1
 * ```
 */
export const LinemodeModeBit = { EDIT: 1, TRAPSIG: 2, MODE_ACK: 4, SOFT_TAB: 8, LIT_ECHO: 16 } as const;

/**
 * The SLC function codes of RFC 1184.
 *
 * @example
 * ```ts
 * import { SlcFunction } from 'rxtelnet';
 * SlcFunction.IP; // 3
 * ```
 */
export const SlcFunction = {
  SYNCH: 1,
  BRK: 2,
  IP: 3,
  AO: 4,
  AYT: 5,
  EOR: 6,
  ABORT: 7,
  EOF: 8,
  SUSP: 9,
  EC: 10,
  EL: 11,
  EW: 12,
  RP: 13,
  LNEXT: 14,
  XON: 15,
  XOFF: 16,
  FORW1: 17,
  FORW2: 18,
} as const;

/**
 * The SLC support levels (the low two bits of a triplet's modifier byte).
 *
 * @example
 * ```ts
 * import { SlcLevel } from 'rxtelnet';
 * SlcLevel.CANTCHANGE; // 1
 * ```
 */
export const SlcLevel = { NOSUPPORT: 0, CANTCHANGE: 1, VALUE: 2, DEFAULT: 3 } as const;

/**
 * The flag bits of an SLC modifier byte.
 *
 * @example
 * ```ts
 * import { SlcFlag } from 'rxtelnet';
 * SlcFlag.ACK; // 128
 * ```
 */
export const SlcFlag = { FLUSHOUT: 32, FLUSHIN: 64, ACK: 128 } as const;

/**
 * The most SLC triplets accepted in one subnegotiation: 32 (RFC 1184 defines 18 functions, BSD telnet 30).
 *
 * @example
 * ```ts
 * import { MAX_SLC_TRIPLETS } from 'rxtelnet';
 * MAX_SLC_TRIPLETS; // 32
 * ```
 */
export const MAX_SLC_TRIPLETS = 32;

/**
 * One SLC triplet: function code, modifier byte (level and flags) and character value.
 *
 * @example
 * ```ts
 * import { SlcFlag, SlcFunction, SlcLevel, type SlcTriplet } from 'rxtelnet';
 * const interrupt: SlcTriplet = { function: SlcFunction.IP, modifiers: SlcLevel.VALUE | SlcFlag.FLUSHIN, value: 3 };
 * ```
 */
export interface SlcTriplet {
  readonly function: number;
  readonly modifiers: number;
  readonly value: number;
}

/**
 * The decoded LINEMODE subcommands: `MODE mask` or `SLC triplets`.
 *
 * @example
 * ```ts
 * import { LinemodeModeBit, type LinemodeMessage } from 'rxtelnet';
 * const isEditing = (message: LinemodeMessage): boolean =>
 *   message._tag === 'Mode' && (message.mask & LinemodeModeBit.EDIT) !== 0;
 * ```
 */
export type LinemodeMessage =
  { readonly _tag: 'Mode'; readonly mask: number } | { readonly _tag: 'Slc'; readonly triplets: readonly SlcTriplet[] };

const decodeSlc = (payload: Uint8Array, maxTriplets: number): E.Either<PayloadError, LinemodeMessage> => {
  const length = payload.length - 1;
  if (length % 3 !== 0) {
    return E.left(
      payloadError(TelnetOption.LINEMODE, `offset ${payload.length - (length % 3)}`, 'truncated SLC triplet'),
    );
  }
  if (length / 3 > maxTriplets) {
    return E.left(payloadError(TelnetOption.LINEMODE, 'length', `more than ${maxTriplets} SLC triplets`));
  }
  const triplets: SlcTriplet[] = [];
  for (let at = 1; at + 2 < payload.length; at += 3) {
    triplets.push({ function: payload[at] ?? 0, modifiers: payload[at + 1] ?? 0, value: payload[at + 2] ?? 0 });
  }
  return E.right({ _tag: 'Slc', triplets });
};

/**
 * Decodes a LINEMODE `MODE` or `SLC` payload with at most `maxTriplets` triplets; anything else is a
 * `PayloadError`.
 *
 * @example
 * ```ts
 * import { decodeLinemode } from 'rxtelnet';
 * decodeLinemode(Uint8Array.of(1, 3)); // right({ _tag: 'Mode', mask: 3 }): EDIT and TRAPSIG
 * decodeLinemode(Uint8Array.of(3, 3, 2, 3)); // right({ _tag: 'Slc', triplets: [{ function: 3, modifiers: 2, value: 3 }] })
 * ```
 */
export const decodeLinemode = (
  payload: Uint8Array,
  maxTriplets: number = MAX_SLC_TRIPLETS,
): E.Either<PayloadError, LinemodeMessage> => {
  const command = payload[0];
  if (command === LinemodeCommand.MODE) {
    const mask = payload[1];
    return mask !== undefined && payload.length === 2
      ? E.right({ _tag: 'Mode', mask })
      : E.left(payloadError(TelnetOption.LINEMODE, 'length', `MODE takes 1 byte, got ${payload.length - 1}`));
  }
  if (command === LinemodeCommand.SLC) return decodeSlc(payload, maxTriplets);
  return E.left(
    payloadError(TelnetOption.LINEMODE, 'offset 0', `unsupported LINEMODE subcommand ${command ?? 'nothing'}`),
  );
};
