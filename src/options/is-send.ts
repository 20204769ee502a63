/**
 * The `IS`/`SEND` header shared by the options where one side asks (`SEND`, nothing after it) and the other
 * answers (`IS` and a body): TERMINAL-TYPE, TERMINAL-SPEED, X-DISPLAY-LOCATION and STATUS.
 *
 * NEW-ENVIRON is not one of them: it has a third command (`INFO`) and its `SEND` carries a list.
 *
 * @internal Not part of the package's public exports.
 */
import * as E from '#fp-ts/Either';
import { payloadError, type PayloadError } from './payload-error.js';

/**
 * The two subnegotiation commands of an IS/SEND option.
 *
 * @internal
 */
export const IsSendCommand = { IS: 0, SEND: 1 } as const;

/**
 * A decoded `SEND`: the request for the peer's `IS`.
 *
 * @internal
 */
export interface SendRequest {
  readonly _tag: 'Send';
}

/**
 * Decodes the header of an IS/SEND payload of `option`: `SEND` alone is a {@link SendRequest}; `IS` hands the
 * bytes after it (from offset 1) to `decodeIs`; anything else, or bytes after `SEND`, is a `PayloadError`.
 *
 * @internal
 */
export const decodeIsSend = <A>(
  option: number,
  payload: Uint8Array,
  decodeIs: (body: Uint8Array) => E.Either<PayloadError, A>,
): E.Either<PayloadError, A | SendRequest> => {
  const command = payload[0];
  if (command === IsSendCommand.SEND) {
    return payload.length === 1
      ? E.right({ _tag: 'Send' })
      : E.left(payloadError(option, 'offset 1', 'unexpected bytes after SEND'));
  }
  if (command !== IsSendCommand.IS) {
    return E.left(payloadError(option, 'offset 0', `expected IS (0) or SEND (1), got ${command ?? 'nothing'}`));
  }
  return decodeIs(payload.subarray(1));
};
