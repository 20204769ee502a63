/**
 * STATUS (RFC 859): one side asks (`SEND`), the other lists the options it believes enabled (`IS`).
 *
 * `IS` holds `WILL option` for each option the sender performs, `DO option` for each option it asked the
 * receiver to perform, and `SB option parameters SE` for subnegotiated state. Inside `IS` the byte SE (240) as
 * data is doubled (`SE SE`); the byte IAC is doubled by the Telnet encoder like in any subnegotiation.
 */
import * as E from '#fp-ts/Either';
import { Command } from '../protocol/commands.js';
import { TelnetOption } from '../protocol/options.js';
import { decodeIsSend, IsSendCommand } from './is-send.js';
import { payloadError, type PayloadError } from './payload-error.js';

/**
 * The subnegotiated state of one option, as carried in a STATUS `IS`.
 *
 * @example
 * ```ts
 * import { TelnetOption, type StatusSubnegotiation } from 'rxtelnet';
 * const size: StatusSubnegotiation = { option: TelnetOption.NAWS, parameters: Uint8Array.of(0, 80, 0, 24) };
 * ```
 */
export interface StatusSubnegotiation {
  readonly option: number;
  readonly parameters: Uint8Array;
}

/**
 * What a STATUS `IS` says: options the sender performs (`local`, sent as WILL), options it expects the receiver
 * to perform (`remote`, sent as DO), and subnegotiated state.
 *
 * @example
 * ```ts
 * import { TelnetOption, type StatusReport } from 'rxtelnet';
 * const report: StatusReport = { local: [TelnetOption.ECHO], remote: [TelnetOption.NAWS], subnegotiations: [] };
 * ```
 */
export interface StatusReport {
  readonly local: readonly number[];
  readonly remote: readonly number[];
  readonly subnegotiations: readonly StatusSubnegotiation[];
}

/**
 * A decoded STATUS payload.
 *
 * @example
 * ```ts
 * import type { StatusMessage } from 'rxtelnet';
 * const request: StatusMessage = { _tag: 'Send' };
 * ```
 */
export type StatusMessage = ({ readonly _tag: 'Is' } & StatusReport) | { readonly _tag: 'Send' };

/** Appends `byte`, doubled when it is SE. */
const pushData = (out: number[], byte: number): void => {
  out.push(byte);
  if (byte === Command.SE) out.push(byte);
};

/**
 * Encodes a STATUS `IS` from the enabled options (local as WILL, remote as DO) and optional subnegotiated
 * state, doubling every SE data byte. Option codes are taken modulo 256.
 *
 * @example
 * ```ts
 * import { encodeStatusIs, TelnetOption } from 'rxtelnet';
 * encodeStatusIs({ local: [TelnetOption.ECHO, TelnetOption.SGA], remote: [TelnetOption.SGA] });
 * // Uint8Array [0, 251, 1, 251, 3, 253, 3]
 * ```
 */
export const encodeStatusIs = (status: {
  readonly local: readonly number[];
  readonly remote: readonly number[];
  readonly subnegotiations?: readonly StatusSubnegotiation[];
}): Uint8Array => {
  const out: number[] = [IsSendCommand.IS];
  for (const option of status.local) {
    out.push(Command.WILL);
    pushData(out, option & 0xff);
  }
  for (const option of status.remote) {
    out.push(Command.DO);
    pushData(out, option & 0xff);
  }
  for (const { option, parameters } of status.subnegotiations ?? []) {
    out.push(Command.SB);
    pushData(out, option & 0xff);
    for (const byte of parameters) pushData(out, byte);
    out.push(Command.SE);
  }
  return Uint8Array.from(out);
};

/**
 * The payload of `SEND`, the request for the peer's STATUS.
 *
 * @example
 * ```ts
 * import { encodeStatusSend } from 'rxtelnet';
 * encodeStatusSend(); // Uint8Array [1]
 * ```
 */
export const encodeStatusSend = (): Uint8Array => Uint8Array.of(IsSendCommand.SEND);

/** Reads one data byte at `index` (an SE must be doubled); returns the byte and the next index. */
const readData = (payload: Uint8Array, index: number): E.Either<PayloadError, readonly [number, number]> => {
  const byte = payload[index];
  if (byte === undefined) return E.left(payloadError(TelnetOption.STATUS, `offset ${index}`, 'truncated'));
  if (byte !== Command.SE) return E.right([byte, index + 1]);
  return payload[index + 1] === Command.SE
    ? E.right([byte, index + 2])
    : E.left(payloadError(TelnetOption.STATUS, `offset ${index}`, 'SE as data must be doubled'));
};

/** Reads `parameters SE` from `index`: SE SE is a data byte, a single SE ends the parameters. */
const readParameters = (payload: Uint8Array, index: number): E.Either<PayloadError, readonly [Uint8Array, number]> => {
  const parameters: number[] = [];
  let at = index;
  for (;;) {
    const byte = payload[at];
    if (byte === undefined)
      return E.left(payloadError(TelnetOption.STATUS, `offset ${index}`, 'SB without its closing SE'));
    if (byte === Command.SE) {
      if (payload[at + 1] !== Command.SE) return E.right([Uint8Array.from(parameters), at + 1]);
      at += 1;
    }
    parameters.push(byte);
    at += 1;
  }
};

const decodeIs = (payload: Uint8Array): E.Either<PayloadError, StatusMessage> => {
  const local: number[] = [];
  const remote: number[] = [];
  const subnegotiations: StatusSubnegotiation[] = [];
  let index = 1;
  while (index < payload.length) {
    const verb = payload[index];
    if (verb !== Command.WILL && verb !== Command.DO && verb !== Command.SB) {
      return E.left(
        payloadError(TelnetOption.STATUS, `offset ${index}`, `expected WILL, DO or SB, got ${verb ?? 'nothing'}`),
      );
    }
    const option = readData(payload, index + 1);
    if (E.isLeft(option)) return option;
    const [code, next] = option.right;
    index = next;
    if (verb === Command.WILL) local.push(code);
    else if (verb === Command.DO) remote.push(code);
    else {
      const parameters = readParameters(payload, index);
      if (E.isLeft(parameters)) return parameters;
      subnegotiations.push({ option: code, parameters: parameters.right[0] });
      index = parameters.right[1];
    }
  }
  return E.right({ _tag: 'Is', local, remote, subnegotiations });
};

/**
 * Decodes a STATUS payload: `SEND`, or `IS` with SE SE undoubled.
 *
 * @example
 * ```ts
 * import { decodeStatus } from 'rxtelnet';
 * decodeStatus(Uint8Array.of(1)); // right({ _tag: 'Send' })
 * decodeStatus(Uint8Array.of(0, 251, 1, 253, 3)); // right({ _tag: 'Is', local: [1], remote: [3], subnegotiations: [] })
 * ```
 */
export const decodeStatus = (payload: Uint8Array): E.Either<PayloadError, StatusMessage> =>
  // decodeIs reads the whole payload: its error offsets count from the IS byte.
  decodeIsSend(TelnetOption.STATUS, payload, () => decodeIs(payload));
