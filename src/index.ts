/**
 * rxtelnet: the Telnet protocol as RxJS streams. This root export is the portable core (no `node:` modules):
 * it runs in Node and in browsers. The Node TCP/TLS transports and zlib compression live in `rxtelnet/node`; the
 * MUD protocols (GMCP, MSDP, MSSP, MTTS, MNES and the MUD presets) in `rxtelnet/mud`.
 *
 * @packageDocumentation
 */

// Protocol constants: command bytes and option codes, with their names.
export { Command, commandName } from './protocol/commands.js';
export type { CommandByte, CommandName } from './protocol/commands.js';
export { TelnetOption, optionName } from './protocol/options.js';
export type { TelnetOptionName } from './protocol/options.js';

// Codec: the incremental zero-copy decoder, the encoder, and the events they speak.
export { command, data, negotiation, subnegotiation, warning } from './codec/events.js';
export type {
  CommandEvent,
  DataEvent,
  NegotiationEvent,
  NegotiationVerb,
  SubnegotiationEvent,
  TelnetEvent,
  WarningCode,
  WarningEvent,
} from './codec/events.js';
export { DEFAULT_MAX_SUBNEGOTIATION } from './codec/limits.js';
export { createDecoder, decodeAll, decodeChunk, decodeInto, flushDecoder, flushInto } from './codec/parser.js';
export type { TelnetDecoder, DecoderOptions, TelnetSink } from './codec/parser.js';
export { encodeCommand, encodeData, encodeEvent, encodeNegotiation, encodeSubnegotiation } from './codec/encoder.js';
export type { EncodeDataOptions } from './codec/encoder.js';

// Operators: bytes to events and back, and selectors over the event stream.
export { decodeTelnet } from './operators/decodeTelnet.js';
export { encodeTelnet } from './operators/encodeTelnet.js';
export { dataBytes } from './operators/dataBytes.js';
export { commands } from './operators/commands.js';
export { negotiations } from './operators/negotiations.js';
export { subnegotiations } from './operators/subnegotiations.js';
export { warnings } from './operators/warnings.js';
export { asEither } from './operators/asEither.js';

// Negotiation: the RFC 1143 Q method as a pure reducer, policies, and the typed errors.
export { initialSide, isEnabled, sideOf, stepQ } from './negotiation/q-method.js';
export type { QEffect, QInput, QQueue, QSide, QState, QStep, Side } from './negotiation/q-method.js';
export { policyOf, refuseAll } from './negotiation/policy.js';
export type { NegotiationPolicy } from './negotiation/policy.js';
export {
  AlreadyDisabledError,
  AlreadyEnabledError,
  AlreadyNegotiatingError,
  CharsetRejectedError,
  ConnectionClosedError,
  DecompressionError,
  isTelnetError,
  NegotiationError,
  NegotiationTimeoutError,
  OptionRefusedError,
  TransportError,
  WebSocketError,
  ExpectClosedError,
  ExpectTimeoutError,
  LoginFailedError,
} from './negotiation/errors.js';
export type { CharsetRejection, DecompressionFailure, TelnetError, WebSocketErrorCode } from './negotiation/errors.js';

// Connection: Twisted's ITelnetTransport as cold Observables over any transport.
export { createConnection } from './session/connection.js';
export type {
  CloseReason,
  CompressionEvent,
  ConnectionOptions,
  ConnectionStats,
  OptionSideState,
  OptionState,
  TelnetConnection,
} from './session/connection.js';
export { DEFAULT_STORM_LIMITS } from './session/negotiator.js';
export { createTelnetMetrics } from './session/metrics.js';
export type { CountedEvent, TelnetMetrics, TelnetMetricsSnapshot } from './session/metrics.js';
export type { StormLimits } from './session/negotiator.js';

// Transports: the contract, an in-memory pair, WebSocket, and the compression engine contract (MCCP).
export type { Address, Transport } from './transport/types.js';
export { createMemoryTransports } from './transport/memory.js';
export {
  connectWebSocket,
  GMCP_WEBSOCKET_PROTOCOL,
  TELNET_WEBSOCKET_PROTOCOL,
  TERMINAL_WEBSOCKET_PROTOCOL,
  webSocketTransport,
} from './transport/websocket.js';
export type {
  ConnectWebSocketOptions,
  WebSocketConstructor,
  WebSocketLike,
  WebSocketTransportOptions,
} from './transport/websocket.js';
export { defaultInflaterOptions } from './transport/compression.js';
export { portableCompression, portableDeflater } from './transport/portable-compression.js';
export type {
  Compression,
  CreateDeflater,
  CreateInflater,
  Deflater,
  DeflaterSink,
  Inflater,
  InflaterOptions,
  InflaterSink,
} from './transport/compression.js';

// Text: character sets, streaming decoding and encoding, lines and prompts.
export { charsetName, textEncodingNames, toTextEncodingName } from './text/encodings.js';
export type { TextEncodingName } from './text/encodings.js';
export { createTextDecoder } from './text/decoder.js';
export type { StreamingTextDecoder } from './text/decoder.js';
export { encodeString } from './text/encoder.js';
export { decodeText } from './operators/decodeText.js';
export { encodeText } from './operators/encodeText.js';
export { lines } from './operators/lines.js';
export type { LinesOptions, TextLine } from './operators/lines.js';
export { findFirstMatch } from './text/patterns.js';
export type { PatternMatch, TextPattern } from './text/patterns.js';
export { screenLines } from './text/screen-text.js';

// Automation: expect-style dialogues (log in, run commands, collect the output).
export { createExpect } from './expect/expect.js';
export type { ExecOptions, Expect, ExpectMatch, ExpectOptions, LoginOptions } from './expect/expect.js';

// Options: the payload codecs of the standard options (pure, returning Either) and their helpers on a connection.
export type { PayloadError } from './options/payload-error.js';
export type { UntrustedString } from './options/untrusted-string.js';
export {
  CharsetPayload,
  EnvironPayload,
  NawsPayload,
  TspeedPayload,
  TtypePayload,
  XdisplocPayload,
} from './options/payload-codecs.js';
export { decodeNaws, encodeNaws, NAWS_MAX_DIMENSION } from './options/naws.js';
export type { WindowSize } from './options/naws.js';
export { sendWindowSize, windowSizes } from './option-helpers/naws.js';
export {
  decodeTtype,
  encodeTtypeIs,
  encodeTtypeSend,
  MAX_TTYPE_ANSWERS,
  MAX_TTYPE_NAME_LENGTH,
} from './options/ttype.js';
export type { TtypeMessage, TtypeReport } from './options/ttype.js';
export { answerTerminalType, requestTerminalTypes } from './option-helpers/ttype.js';
export type { RequestTerminalTypesOptions } from './option-helpers/ttype.js';
export {
  DEFAULT_ENVIRON_LIMITS,
  decodeEnviron,
  encodeEnviron,
  WellKnownEnvironVariable,
} from './options/new-environ.js';
export type {
  EnvironKind,
  EnvironLimits,
  EnvironMessage,
  EnvironRequest,
  EnvironVariable,
} from './options/new-environ.js';
export { answerEnvironment, requestEnvironment } from './option-helpers/new-environ.js';
export type { EnvironReport } from './option-helpers/new-environ.js';
export {
  answerCharsetRequest,
  chooseCharset,
  DEFAULT_CHARSET_LIMITS,
  decodeCharset,
  encodeCharset,
} from './options/charset.js';
export type { CharsetLimits, CharsetMessage } from './options/charset.js';
export { agreedEncoding, answerCharset, requestCharset } from './option-helpers/charset.js';
export { decodeTspeed, encodeTspeed, MAX_TERMINAL_SPEED } from './options/tspeed.js';
export type { TspeedMessage } from './options/tspeed.js';
export { answerTerminalSpeed } from './option-helpers/tspeed.js';
export type { TerminalSpeed } from './option-helpers/tspeed.js';
export { decodeXdisploc, encodeXdisploc, MAX_XDISPLOC_LENGTH } from './options/xdisploc.js';
export type { XdisplocMessage } from './options/xdisploc.js';
export { answerDisplayLocation } from './option-helpers/xdisploc.js';
export { decodeStatus, encodeStatusIs, encodeStatusSend } from './options/status.js';
export type { StatusMessage, StatusReport, StatusSubnegotiation } from './options/status.js';
export { answerStatus, requestStatus } from './option-helpers/status.js';
export {
  decodeLinemode,
  LinemodeModeBit,
  MAX_SLC_TRIPLETS,
  SlcFlag,
  SlcFunction,
  SlcLevel,
} from './options/linemode.js';
export type { LinemodeMessage, SlcTriplet } from './options/linemode.js';
export { hideInput } from './option-helpers/echo.js';
export { characterMode } from './option-helpers/sga.js';
export { binaryTransmission } from './option-helpers/binary.js';
export { sendPrompt } from './option-helpers/eor.js';

export { VERSION } from './version.js';
