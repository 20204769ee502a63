/**
 * io-ts codecs for the subnegotiation payloads: `t.Type<A, Uint8Array, unknown>` built on the pure decoders and
 * encoders of each option module, so payloads compose with other io-ts codecs (`t.array(NawsPayload)`,
 * `pipe`, `PathReporter`). `decode` accepts a `Uint8Array` (the unescaped payload, as a `Subnegotiation` event
 * carries it); a failure carries the {@link PayloadError}'s path (e.g. `offset 3`, `body.hp`) as the last entry
 * of its context, and its detail as the message. `encode` never fails.
 */
import * as E from '#fp-ts/Either';
import * as t from 'io-ts';
import { CharsetCommand, decodeCharset, encodeCharset, type CharsetMessage } from './charset.js';
import { decodeGmcp, encodeGmcp, type GmcpMessage } from './gmcp.js';
import { decodeMsdp, encodeMsdp, type MsdpValue, type MsdpVariable } from './msdp.js';
import { decodeMssp, encodeMssp, type MsspTable } from './mssp.js';
import { decodeNaws, encodeNaws, NAWS_MAX_DIMENSION, type WindowSize } from './naws.js';
import { decodeEnviron, encodeEnviron, type EnvironMessage } from './new-environ.js';
import type { PayloadError } from './payload-error.js';
import { decodeTspeed, encodeTspeed, MAX_TERMINAL_SPEED, type TspeedMessage } from './tspeed.js';
import { decodeTtype, encodeTtypeIs, encodeTtypeSend, type TtypeMessage } from './ttype.js';
import type { UntrustedString } from './untrusted-string.js';
import { decodeXdisploc, encodeXdisploc, type XdisplocMessage } from './xdisploc.js';

/** A codec over `Uint8Array` from a decoder that returns `Either<PayloadError, A>` and a total encoder. */
const payloadCodec = <A>(
  name: string,
  is: (u: unknown) => u is A,
  decode: (payload: Uint8Array) => E.Either<PayloadError, A>,
  encode: (value: A) => Uint8Array,
): t.Type<A, Uint8Array> => {
  const codec: t.Type<A, Uint8Array> = new t.Type<A, Uint8Array>(
    name,
    is,
    (u, context) => {
      if (!(u instanceof Uint8Array)) return t.failure(u, context, 'expected a Uint8Array payload');
      const decoded = decode(u);
      return E.isRight(decoded)
        ? t.success(decoded.right)
        : t.failure(u, t.appendContext(context, decoded.left.path, codec, u), decoded.left.detail);
    },
    encode,
  );
  return codec;
};

const dimension = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= NAWS_MAX_DIMENSION);

/**
 * The NAWS payload ({@link decodeNaws}, {@link encodeNaws}).
 *
 * @example
 * ```ts
 * import { NawsPayload } from 'rxtelnet';
 * NawsPayload.decode(Uint8Array.of(0, 80, 0, 24)); // right({ width: 80, height: 24 })
 * NawsPayload.encode({ width: 80, height: 24 }); // Uint8Array [0, 80, 0, 24]
 * ```
 */
export const NawsPayload = payloadCodec<WindowSize>(
  'NawsPayload',
  t.type({ width: dimension, height: dimension }).is,
  decodeNaws,
  encodeNaws,
);

const ttypeShape = t.union([t.type({ _tag: t.literal('Is'), name: t.string }), t.type({ _tag: t.literal('Send') })]);

/**
 * The TTYPE payload ({@link decodeTtype}): `IS name` or `SEND`.
 *
 * @example
 * ```ts
 * import { TtypePayload } from 'rxtelnet';
 * TtypePayload.decode(Uint8Array.of(1)); // right({ _tag: 'Send' })
 * ```
 */
export const TtypePayload = payloadCodec<TtypeMessage>(
  'TtypePayload',
  (u): u is TtypeMessage => ttypeShape.is(u),
  (payload) => decodeTtype(payload),
  (message) => (message._tag === 'Send' ? encodeTtypeSend() : encodeTtypeIs(message.name)),
);

const environKind = t.keyof({ VAR: null, USERVAR: null });
const environVariables = t.readonlyArray(
  t.intersection([t.type({ kind: environKind, name: t.string }), t.partial({ value: t.string })]),
);
const environShape = t.union([
  t.type({ _tag: t.keyof({ Is: null, Info: null }), variables: environVariables }),
  t.type({
    _tag: t.literal('Send'),
    requests: t.readonlyArray(t.intersection([t.type({ kind: environKind }), t.partial({ name: t.string })])),
  }),
]);

/**
 * The NEW-ENVIRON payload ({@link decodeEnviron}); names and values are {@link UntrustedString}s.
 *
 * @example
 * ```ts
 * import { EnvironPayload } from 'rxtelnet';
 * EnvironPayload.decode(Uint8Array.of(1)); // right({ _tag: 'Send', requests: [] })
 * ```
 */
export const EnvironPayload = payloadCodec<EnvironMessage<UntrustedString>>(
  'EnvironPayload',
  (u): u is EnvironMessage<UntrustedString> => environShape.is(u),
  (payload) => decodeEnviron(payload),
  encodeEnviron,
);

const charsetShape = t.union([
  t.intersection([
    t.type({ _tag: t.literal('Request'), charsets: t.readonlyArray(t.string) }),
    t.partial({ ttableVersion: t.number }),
  ]),
  t.type({ _tag: t.literal('Accepted'), charset: t.string }),
  t.type({ _tag: t.keyof({ Rejected: null, TtableIs: null, TtableRejected: null, TtableAck: null, TtableNak: null }) }),
]);

/**
 * The CHARSET payload ({@link decodeCharset}, {@link encodeCharset}); `TtableIs` encodes as the bare command.
 *
 * @example
 * ```ts
 * import { CharsetPayload } from 'rxtelnet';
 * CharsetPayload.encode({ _tag: 'Accepted', charset: 'UTF-8' }); // bytes of "\x02UTF-8"
 * ```
 */
export const CharsetPayload = payloadCodec<CharsetMessage>(
  'CharsetPayload',
  (u): u is CharsetMessage =>
    charsetShape.is(u) && (u._tag !== 'Request' || ('charsets' in u && u.charsets.length > 0)),
  (payload) => decodeCharset(payload),
  (message) => (message._tag === 'TtableIs' ? Uint8Array.of(CharsetCommand.TTABLE_IS) : encodeCharset(message)),
);

const gmcpShape = t.type({ name: t.string, json: t.unknown });

/**
 * The GMCP payload ({@link decodeGmcp}, {@link encodeGmcp}): a name and an unchecked JSON body. Compose
 * `GmcpPayload.pipe(...)` with your own codec, or use `decodeGmcpMessage` with a registry.
 *
 * @example
 * ```ts
 * import { GmcpPayload } from 'rxtelnet/mud';
 * GmcpPayload.decode(new TextEncoder().encode('Core.Ping')); // right({ name: 'Core.Ping', json: undefined })
 * ```
 */
export const GmcpPayload = payloadCodec<GmcpMessage>(
  'GmcpPayload',
  (u): u is GmcpMessage => gmcpShape.is(u),
  (payload) => decodeGmcp(payload),
  (message) => encodeGmcp(message.name, message.json),
);

const msdpValue: t.Type<MsdpValue> = t.recursion('MsdpValue', () =>
  t.union([t.string, t.readonlyArray(msdpValue), t.record(t.string, msdpValue)]),
);
const msdpShape = t.readonlyArray(t.type({ name: t.string, value: msdpValue }));

/**
 * The MSDP payload ({@link decodeMsdp}, {@link encodeMsdp}): the top-level variables in wire order.
 *
 * @example
 * ```ts
 * import { MsdpPayload } from 'rxtelnet/mud';
 * MsdpPayload.encode([{ name: 'HEALTH', value: '500' }]); // VAR "HEALTH" VAL "500"
 * ```
 */
export const MsdpPayload = payloadCodec<readonly MsdpVariable[]>(
  'MsdpPayload',
  (u): u is readonly MsdpVariable[] => msdpShape.is(u),
  (payload) => decodeMsdp(payload),
  encodeMsdp,
);

const msspShape = t.record(t.string, t.union([t.string, t.readonlyArray(t.string)]));

/**
 * The MSSP payload ({@link decodeMssp}, {@link encodeMssp}).
 *
 * @example
 * ```ts
 * import { MsspPayload } from 'rxtelnet/mud';
 * MsspPayload.decode(new TextEncoder().encode('\x01NAME\x02Example MUD')); // right({ NAME: 'Example MUD' })
 * ```
 */
export const MsspPayload = payloadCodec<MsspTable>(
  'MsspPayload',
  (u): u is MsspTable => msspShape.is(u),
  (payload) => decodeMssp(payload),
  encodeMssp,
);

const speed = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0 && n <= MAX_TERMINAL_SPEED);
const tspeedShape = t.union([
  t.type({ _tag: t.literal('Is'), transmit: speed, receive: speed }),
  t.type({ _tag: t.literal('Send') }),
]);

/**
 * The TERMINAL-SPEED payload ({@link decodeTspeed}, {@link encodeTspeed}).
 *
 * @example
 * ```ts
 * import { TspeedPayload } from 'rxtelnet';
 * TspeedPayload.encode({ _tag: 'Is', transmit: 9600, receive: 9600 }); // bytes of "\x009600,9600"
 * ```
 */
export const TspeedPayload = payloadCodec<TspeedMessage>(
  'TspeedPayload',
  (u): u is TspeedMessage => tspeedShape.is(u),
  decodeTspeed,
  encodeTspeed,
);

const xdisplocShape = t.union([
  t.type({ _tag: t.literal('Is'), location: t.string }),
  t.type({ _tag: t.literal('Send') }),
]);

/**
 * The X-DISPLAY-LOCATION payload ({@link decodeXdisploc}, {@link encodeXdisploc}).
 *
 * @example
 * ```ts
 * import { XdisplocPayload } from 'rxtelnet';
 * XdisplocPayload.decode(Uint8Array.of(1)); // right({ _tag: 'Send' })
 * ```
 */
export const XdisplocPayload = payloadCodec<XdisplocMessage<UntrustedString>>(
  'XdisplocPayload',
  (u): u is XdisplocMessage<UntrustedString> => xdisplocShape.is(u),
  (payload) => decodeXdisploc(payload),
  encodeXdisploc,
);
