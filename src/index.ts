/**
 * rxtelnet: the Telnet protocol as RxJS streams. This root export is the portable core (no `node:` modules):
 * it runs in Node and in browsers. The Node TCP/TLS transports and zlib compression live in `rxtelnet/node`.
 *
 * @packageDocumentation
 */
export * from './protocol/commands.js';
export * from './protocol/options.js';
export * from './codec/events.js';
export * from './codec/limits.js';
export * from './codec/parser.js';
export * from './codec/encoder.js';
export * from './operators/decodeTelnet.js';
export * from './operators/encodeTelnet.js';
export * from './operators/dataBytes.js';
export * from './operators/commands.js';
export * from './operators/negotiations.js';
export * from './operators/subnegotiations.js';
export * from './operators/warnings.js';
export * from './negotiation/q-method.js';
export * from './negotiation/policy.js';
export * from './negotiation/errors.js';
export * from './operators/asEither.js';
export * from './session/connection.js';
export { DEFAULT_STORM_LIMITS } from './session/negotiator.js';
export type { StormLimits } from './session/negotiator.js';
export * from './transport/memory.js';
export type * from './transport/types.js';
export * from './transport/websocket.js';
export * from './text/encodings.js';
export * from './text/decoder.js';
export * from './text/encoder.js';
export * from './text/line-splitter.js';
export * from './operators/decodeText.js';
export * from './operators/encodeText.js';
export * from './operators/lines.js';
export * from './transport/compression.js';
export * from './options/payload-error.js';
export * from './options/untrusted-string.js';
export * from './options/naws.js';
export * from './options/ttype.js';
export * from './options/new-environ.js';
export * from './options/charset.js';
export * from './options/gmcp.js';
export * from './options/msdp.js';
export * from './options/mssp.js';
export * from './options/tspeed.js';
export * from './options/xdisploc.js';
export * from './options/linemode.js';
export * from './options/status.js';
export * from './options/eor.js';
export * from './options/echo.js';
export * from './options/sga.js';
export * from './options/binary.js';
export * from './options/presets.js';
export * from './options/payload-codecs.js';
export * from './version.js';
