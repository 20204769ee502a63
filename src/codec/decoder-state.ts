/**
 * The bookkeeping behind the opaque {@link TelnetDecoder}: internal to the codec (the entry points do not export this
 * module). `createDecoder` makes a `DecoderState` and hands it out typed as `TelnetDecoder`; the parser's functions cast
 * it back (`decoder as DecoderState`), which costs nothing at run time, and every decoder keeps one object shape.
 *
 * @internal
 * @module
 */
import type { EventSink, TelnetDecoder } from './parser.js';

/** A {@link TelnetDecoder} as the parser sees it. */
export interface DecoderState extends TelnetDecoder {
  /** Where the parser stands between two bytes (one of the parser's state numbers). */
  state: number;
  /** The verb byte of a negotiation whose option byte has not arrived yet. */
  verb: number;
  /** The option of the subnegotiation being assembled. */
  option: number;
  /** How many bytes of `payload` are in use. */
  payloadLength: number;
  /** The reusable buffer a subnegotiation payload is assembled in (never longer than `maxSubnegotiation`). */
  payload: Uint8Array;
  /**
   * The last CR search in nvt mode, within one `decodeChunk` call: in `crChunk`, no CR lies in `[crFrom, crAt)`,
   * and `crAt` is a CR or -1 (none to the end). It saves a search past the next IAC for every data run, which
   * would make runs between many commands cost quadratic time.
   */
  crChunk: Uint8Array | undefined;
  crFrom: number;
  crAt: number;
  /** Whether the decoder rewrites the chunks it is given (see `setInPlace`). */
  inPlace: boolean;
  /** Within one call, in place: where the data passed so far ends in the chunk (what follows may be rewritten). */
  written: number;
  /** Views of the first n bytes of `payloadViewsOf` (the assembly buffer they were made for), by n, for small n. */
  payloadViews: (Uint8Array | undefined)[];
  payloadViewsOf: Uint8Array | undefined;
  /**
   * Within one call, in raw mode: the chunk's own `indexOf` where it is not `Uint8Array`'s (a Buffer's memchr),
   * which `find` asks, called on the plain view the parser reads.
   */
  memchr: ((this: Uint8Array, value: number, from?: number) => number) | undefined;
  /** While this returns true, in place, commands from NOP to GA in data runs are dropped (see `ignoreCommandsWhile`). */
  commandsIgnored: (() => boolean) | undefined;
  /** The sink `decodeChunk` made for the last `emit` it was given (reused while `emit` is the same). */
  events: EventSink | undefined;
}
