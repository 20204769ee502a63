/**
 * GMCP over a connection: the peer's messages, decoded (optionally typed by io-ts codecs), and sending messages
 * while GMCP is in effect. The payload codec is in `options/gmcp`.
 */
import type * as E from '#fp-ts/Either';
import type * as t from 'io-ts';
import type { Observable } from 'rxjs';
import { TelnetOption } from '../protocol/options.js';
import type { TelnetConnection } from '../session/connection.js';
import { isEnabledOn, payloadsOf } from './option-streams.js';
import { type PayloadError } from '../options/payload-error.js';
import {
  type GmcpCodecs,
  type GmcpMessage,
  type GmcpDecodeOptions,
  type TypedGmcpMessage,
  type UntypedGmcpMessage,
  decodeGmcp,
  decodeGmcpMessage,
  encodeGmcp,
  encodeGmcpMessage,
} from '../options/gmcp.js';

/**
 * The GMCP messages the peer sends while GMCP is in effect on either side (the server offers it with
 * `WILL GMCP`, the client agrees with `DO GMCP`, then both send). Without `codecs`, each message has its JSON
 * body parsed but unchecked; with a registry, each body of a package in it is checked by its codec and typed
 * (`_tag: 'Typed'`), and other packages pass through untyped (`_tag: 'Untyped'`) unless `unknownPackages` is
 * `'reject'` ({@link decodeGmcpMessage}). A message that fails (bad JSON, a body its codec refuses) is a `Left`
 * and the stream goes on. Completes when the connection closes.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import * as t from 'io-ts';
 * import { createConnection, TelnetOption, policyOf } from 'rxtelnet';
 * import { gmcpMessages, standardGmcpCodecs } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport, { policy: policyOf({ remote: [TelnetOption.GMCP] }) });
 * const codecs = { ...standardGmcpCodecs, 'Room.Info': t.type({ num: t.number, name: t.string }) };
 * gmcpMessages(connection, codecs).subscribe((message) => {
 *   if (E.isLeft(message)) return console.warn(`${message.left.path}: ${message.left.detail}`);
 *   const gmcp = message.right;
 *   if (gmcp._tag === 'Untyped') return console.log(`${gmcp.name} (no codec)`, gmcp.json);
 *   if (gmcp.name === 'Char.Vitals') console.log(`HP ${gmcp.body.hp}/${gmcp.body.maxhp}`);
 *   if (gmcp.name === 'Room.Info') console.log(`You are in ${gmcp.body.name}`);
 * });
 * ```
 */
export function gmcpMessages(connection: TelnetConnection): Observable<E.Either<PayloadError, GmcpMessage>>;
export function gmcpMessages<C extends GmcpCodecs>(
  connection: TelnetConnection,
  codecs: C,
  options: GmcpDecodeOptions & { readonly unknownPackages: 'reject' },
): Observable<E.Either<PayloadError, TypedGmcpMessage<C>>>;
export function gmcpMessages<C extends GmcpCodecs>(
  connection: TelnetConnection,
  codecs: C,
  options?: GmcpDecodeOptions,
): Observable<E.Either<PayloadError, TypedGmcpMessage<C> | UntypedGmcpMessage>>;
export function gmcpMessages<C extends GmcpCodecs>(
  connection: TelnetConnection,
  codecs?: C,
  options: GmcpDecodeOptions = {},
): Observable<E.Either<PayloadError, GmcpMessage | TypedGmcpMessage<C> | UntypedGmcpMessage>> {
  return payloadsOf(connection, TelnetOption.GMCP, 'either', (payload) =>
    codecs === undefined ? decodeGmcp(payload, options.limits) : decodeGmcpMessage(codecs, payload, options),
  );
}

/**
 * Sends one GMCP message (`IAC SB GMCP name json IAC SE`, IAC doubled) if GMCP is in effect on either side;
 * returns whether it was sent.
 *
 * @example
 * ```ts
 * import { createConnection } from 'rxtelnet';
 * import { sendGmcp } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport);
 * sendGmcp(connection, 'Core.Hello', { client: 'MYCLIENT', version: '1.0' });
 * sendGmcp(connection, 'Core.Ping');
 * ```
 */
export const sendGmcp = (connection: TelnetConnection, name: string, json?: unknown): boolean => {
  if (!isEnabledOn(connection, TelnetOption.GMCP, 'either')) return false;
  connection.requestNegotiation(TelnetOption.GMCP, encodeGmcp(name, json));
  return true;
};

/**
 * Sends a typed GMCP message, its body encoded by the registry's codec ({@link encodeGmcpMessage}), if GMCP is in
 * effect on either side; returns whether it was sent.
 *
 * @example
 * ```ts
 * import { createConnection } from 'rxtelnet';
 * import { sendGmcpMessage, standardGmcpCodecs } from 'rxtelnet/mud';
 * import type { Transport } from 'rxtelnet';
 *
 * declare const transport: Transport;
 * const connection = createConnection(transport);
 * sendGmcpMessage(connection, standardGmcpCodecs, 'Core.Supports.Set', [{ name: 'Char', version: 1 }, { name: 'Room', version: 1 }]);
 * ```
 */
export const sendGmcpMessage = <C extends GmcpCodecs, K extends keyof C & string>(
  connection: TelnetConnection,
  codecs: C,
  name: K,
  body: t.TypeOf<C[K]>,
): boolean => {
  if (!isEnabledOn(connection, TelnetOption.GMCP, 'either')) return false;
  connection.requestNegotiation(TelnetOption.GMCP, encodeGmcpMessage(codecs, name, body));
  return true;
};
