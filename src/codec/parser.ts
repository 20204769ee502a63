import { DEFAULT_MAX_SUBNEGOTIATION } from './limits.js';
import {
  findPlain,
  forgetScanned,
  settleTranslated,
  translateInPlace,
  translateNewlines,
  translation,
} from './scan.js';
import { command, data, negotiation, subnegotiation, warning } from './events.js';
import type { CommandEvent, NegotiationEvent, NegotiationVerb, TelnetEvent, WarningCode } from './events.js';
import type { DecoderState } from './decoder-state.js';

/**
 * Options of {@link createDecoder}.
 *
 * @example
 * ```ts
 * import { createDecoder } from 'rxtelnet';
 * import type { DecoderOptions } from 'rxtelnet';
 * const options: DecoderOptions = { newline: 'nvt', maxSubnegotiation: 16 * 1024 };
 * const decoder = createDecoder(options);
 * ```
 */
export interface DecoderOptions {
  /** The largest subnegotiation payload assembled, in bytes (default {@link DEFAULT_MAX_SUBNEGOTIATION}). */
  readonly maxSubnegotiation?: number;
  /**
   * `'raw'` (default) passes data bytes as they are; `'nvt'` applies the NVT newline rules of RFC 854 to data
   * (not to subnegotiation payloads): `CR LF` becomes `LF`, `CR NUL` becomes `CR`, `CR x` stays `CR x`.
   */
  readonly newline?: 'raw' | 'nvt';
}

/** Makes {@link TelnetDecoder} nominal: only {@link createDecoder} makes one. Type-level only (no symbol at run time). */
declare const decoderBrand: unique symbol;

/**
 * An incremental Telnet decoder, created by {@link createDecoder} and advanced by {@link decodeChunk}. It is
 * opaque: its bookkeeping belongs to the parser. `newline` may be changed between two chunks (a connection flips
 * it when the BINARY option changes); `maxSubnegotiation` tells the limit in force, as `createDecoder` settled it
 * (floored, at least 0, the default for `NaN`).
 *
 * @example
 * ```ts
 * import { createDecoder } from 'rxtelnet';
 * const decoder = createDecoder({ newline: 'nvt', maxSubnegotiation: 1.5 });
 * decoder.newline = 'raw'; // BINARY was enabled
 * decoder.maxSubnegotiation; // 1
 * ```
 */
export interface TelnetDecoder {
  readonly [decoderBrand]: true;
  /** Newline handling of data from the next byte on. */
  newline: 'raw' | 'nvt';
  /** The largest subnegotiation payload assembled, in bytes. */
  readonly maxSubnegotiation: number;
}

const IAC = 255;
const WILL = 251;
const SB = 250;
const SE = 240;
const CR = 13;
const LF = 10;
const NUL = 0;

/**
 * How many bytes are probed in JavaScript before calling `indexOf`: a call costs as much as scanning a few dozen
 * bytes, and runs between commands are often that short.
 */
const PROBE = 16;

/** Copying a short run byte by byte beats creating a `subarray` view for `set`. */
const SHORT_COPY = 32;
const INITIAL_PAYLOAD_CAPACITY = 64;
/** Payloads up to this length are passed as reused views of the assembly buffer: no allocation for them. */
const SMALL_PAYLOAD = 64;
/** Event payload copies up to SLAB_MAX bytes are cut from SLAB-byte buffers. */
const SLAB = 16 * 1024;
const SLAB_MAX = 1024;

// Parser states.
const S_DATA = 0;
/** After a CR in NVT mode, at the end of a chunk. */
const S_CR = 1;
const S_IAC = 2;
/** After IAC WILL/WONT/DO/DONT. */
const S_VERB = 3;
/** After IAC SB. */
const S_SB_OPTION = 4;
/** After IAC SB IAC. */
const S_SB_OPTION_IAC = 5;
const S_SB = 6;
const S_SB_IAC = 7;
/** Inside a subnegotiation that exceeded the limit: dropping up to IAC SE. */
const S_SB_DROP = 8;
const S_SB_DROP_IAC = 9;

const VERBS: readonly NegotiationVerb[] = ['WILL', 'WONT', 'DO', 'DONT'];

const byteValues = Array.from({ length: 256 }, (_, byte) => byte);

/** One frozen event per command byte, so decoding a command allocates nothing. */
const COMMANDS: readonly CommandEvent[] = byteValues.map((byte) => Object.freeze(command(byte)));

const verbName = (verb: number): NegotiationVerb => VERBS[verb - WILL] ?? 'WILL';

/** One frozen event per verb and option, at `(verb - WILL) * 256 + option`. */
const NEGOTIATIONS: readonly NegotiationEvent[] = VERBS.flatMap((verb) =>
  byteValues.map((option) => Object.freeze(negotiation(verb, option))),
);

const STRAY_SE = 'IAC SE outside a subnegotiation; ignored';
const EMPTY_SB = 'IAC SB IAC SE without an option byte; ignored';

/**
 * Creates an incremental decoder; feed it with {@link decodeChunk} and end it with {@link flushDecoder}.
 *
 * @example
 * ```ts
 * import { createDecoder, decodeChunk, flushDecoder } from 'rxtelnet';
 * const decoder = createDecoder({ maxSubnegotiation: 8192 });
 * decodeChunk(decoder, Uint8Array.of(104, 105, 255, 249), (event) => { console.log(event); });
 * flushDecoder(decoder, (event) => { console.log(event); });
 * ```
 */
export const createDecoder = (options?: DecoderOptions): TelnetDecoder => {
  const limit = options?.maxSubnegotiation ?? DEFAULT_MAX_SUBNEGOTIATION;
  const maxSubnegotiation = Number.isNaN(limit) ? DEFAULT_MAX_SUBNEGOTIATION : Math.max(0, Math.floor(limit));
  const state: Omit<DecoderState, typeof decoderBrand> = {
    newline: options?.newline ?? 'raw',
    maxSubnegotiation,
    inPlace: false,
    written: 0,
    state: S_DATA,
    verb: WILL,
    option: 0,
    payloadLength: 0,
    payload: new Uint8Array(Math.min(INITIAL_PAYLOAD_CAPACITY, maxSubnegotiation)),
    crChunk: undefined,
    crFrom: 0,
    crAt: -1,
    events: undefined,
    memchr: undefined,
    commandsIgnored: undefined,
    payloadViews: new Array<Uint8Array | undefined>(SMALL_PAYLOAD + 1).fill(undefined),
    payloadViewsOf: undefined,
  };
  return state as DecoderState;
};

/**
 * What {@link decodeInto} calls, in wire order, for what it decodes: libtelnet's event model, with no allocation
 * per event. Every argument is valid during the call only where it is a view: `data` names a range of `bytes`,
 * `subnegotiation` gets a view of a buffer the decoder reuses. Copy (`bytes.slice(start, end)`,
 * `payload.slice()`) what you keep.
 *
 * @example
 * ```ts
 * import { createDecoder, decodeInto, type TelnetSink } from 'rxtelnet';
 * let text = 0;
 * const sink: TelnetSink = {
 *   data: (bytes, start, end) => { text += end - start; },
 *   command: (command) => { console.log('command', command); },
 *   negotiation: (verb, option) => { console.log('negotiation', verb, option); },
 *   subnegotiation: (option, payload) => { console.log('SB', option, payload.length); },
 *   wants: (option) => option === 201, // GMCP only: the others are skipped
 *   warning: (code, detail) => { console.warn(code, detail); },
 * };
 * decodeInto(createDecoder(), Uint8Array.of(104, 105, 255, 253, 31), sink); // text === 2, then DO NAWS
 * ```
 */
export interface TelnetSink {
  /**
   * Application data: `bytes[start, end)`, with `IAC IAC` unescaped and (in nvt mode) newlines translated.
   * `bytes` is the chunk being decoded (a plain `Uint8Array` view of its memory when the chunk is a subclass
   * such as a Node `Buffer`) or, in nvt mode, an array the decoder writes again (never write to it): for a CR
   * held over from the previous chunk, or for newlines translated.
   */
  readonly data: (bytes: Uint8Array, start: number, end: number) => void;
  /** `IAC command`: the byte after IAC (see {@link Command}), unknown bytes included. */
  readonly command: (command: number) => void;
  /** `IAC verb option`: `verb` is the byte `Command.WILL`, `Command.WONT`, `Command.DO` or `Command.DONT`. */
  readonly negotiation: (verb: number, option: number) => void;
  /** `IAC SB option payload IAC SE`, unescaped: `payload` is a view valid during the call only. */
  readonly subnegotiation: (option: number, payload: Uint8Array) => void;
  /**
   * Optional: called when a subnegotiation of `option` within the limit has ended, before `subnegotiation`;
   * returning false skips it (its `subnegotiation` call, and the view of its payload, are not made). For a sink
   * that reads some options only, or none for a while: skipping costs no allocation.
   */
  readonly wants?: (option: number) => boolean;
  /** A recoverable anomaly (see {@link WarningEvent}); decoding goes on. */
  readonly warning: (code: WarningCode, detail: string) => void;
}

/** The index of the first CR in `chunk` at or after `from`, or -1, remembering the answer for the next run. */
const nextCr = (decoder: DecoderState, chunk: Uint8Array, from: number): number => {
  if (decoder.crChunk === chunk && from >= decoder.crFrom && (decoder.crAt < 0 || from <= decoder.crAt)) {
    return decoder.crAt;
  }
  const at = find(decoder, chunk, CR, from, chunk.length);
  decoder.crChunk = chunk;
  decoder.crFrom = from;
  decoder.crAt = at;
  return at;
};

// eslint-disable-next-line @typescript-eslint/unbound-method -- only compared with a chunk's own, never called
const nativeIndexOf = Uint8Array.prototype.indexOf;

/**
 * The index of the first `byte` in `chunk[from, end)` (`end` is the chunk's length), or -1. A few bytes are probed
 * first; then, for a Node `Buffer` in raw mode, its own `indexOf` (memchr) is asked, and anything else is searched with
 * SIMD (see `scan.ts`): a plain `Uint8Array`, whose `indexOf` is a slow byte loop, and a `Buffer` in nvt mode, where
 * runs end at every line and a call to memchr costs more than the copy of the chunk that SIMD needs.
 */
const find = (self: DecoderState, chunk: Uint8Array, byte: number, from: number, end: number): number => {
  const probeEnd = from + PROBE < end ? from + PROBE : end;
  for (let k = from; k < probeEnd; k++) if (chunk[k] === byte) return k;
  if (probeEnd === end) return -1;
  const memchr = self.memchr;
  return memchr === undefined ? findPlain(chunk, byte, probeEnd, end) : memchr.call(chunk, byte, probeEnd);
};

/**
 * `input` as a plain `Uint8Array` (itself, or a view of its memory when it is a subclass such as a Node `Buffer`):
 * the parser reads one kind of array only, which keeps its element loads monomorphic however many kinds it is given.
 */
const plainBytes = (input: Uint8Array): Uint8Array =>
  input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.length);

/**
 * A view of `chunk[from, to)`. Built on the underlying buffer rather than with `subarray`, which on a Node `Buffer`
 * goes through the slower `Buffer` species constructor; the result is always a plain `Uint8Array`.
 */
const view = (chunk: Uint8Array, from: number, to: number): Uint8Array =>
  new Uint8Array(chunk.buffer, chunk.byteOffset + from, to - from);

/**
 * The byte of a CR held at the end of a chunk (its own byte is gone with that chunk): shared, never written. A
 * sink that keeps data copies it.
 */
const HELD_CR = Uint8Array.of(CR);

/**
 * Where newlines translated out of place go (the decoder does not own the chunk): shared by all decoders, and what
 * a sink gets from it is valid during the call only.
 */
let translated = new Uint8Array(0);

/** {@link translated}, with room for `length` bytes. */
const translationBuffer = (length: number): Uint8Array => {
  if (translated.length < length) translated = new Uint8Array(Math.max(length, 2 * translated.length));
  return translated;
};

/**
 * Whether `bytes`, passed to a sink's `data`, is an array of the decoder's that it writes again (a held CR, or
 * newlines translated out of place) rather than the chunk: a sink that keeps data copies it.
 *
 * @internal
 */
export const isDecoderBuffer = (bytes: Uint8Array): boolean => bytes === HELD_CR || bytes === translated;

/**
 * Passes the data `chunk[from, end)`: as it is or, when the decoder works in place, moved down to where the data
 * of this chunk so far ends (so that it joins it).
 */
const passData = (self: DecoderState, chunk: Uint8Array, from: number, end: number, sink: TelnetSink): void => {
  if (!self.inPlace) {
    sink.data(chunk, from, end);
    return;
  }
  settleTranslated(); // the data before it, where it is still on its way to the chunk
  const to = self.written;
  if (to < from) chunk.copyWithin(to, from, end);
  self.written = to + end - from;
  sink.data(chunk, to, self.written);
};

/**
 * Applies the NVT newline rules to the data run `chunk[from, stop)` (no IAC in it) when it holds a CR, passing it
 * translated. Returns where the data still to pass starts: `from` when it holds no CR (nothing was passed), `stop`
 * when it was passed, -1 when the chunk ends with a CR that must wait for the next chunk (the run before it was
 * passed).
 */
const passNewlines = (self: DecoderState, chunk: Uint8Array, from: number, stop: number, sink: TelnetSink): number => {
  const cr = nextCr(self, chunk, from);
  if (cr < 0 || cr >= stop) return from;
  if (cr > from) sink.data(chunk, from, cr);
  const out = translationBuffer(stop - cr);
  translateNewlines(chunk, cr, stop, out, 0);
  let to = translation.end;
  const held = stop === chunk.length && chunk[stop - 1] === CR;
  if (!held && chunk[stop - 1] === CR) out[to++] = CR; // followed by IAC: stays CR
  if (to > 0) sink.data(out, 0, to);
  return held ? -1 : stop;
};

/** What {@link passNewlinesInPlace} returns when the chunk ends with a CR that must wait for the next one. */
const HELD = -2;

/**
 * In place: passes the data from `from` up to the next IAC under the NVT newline rules (going on past `IAC IAC`,
 * and past the commands NOP to GA while `commandsIgnored` says so), moved down to where the data of this chunk so
 * far ends (its bytes reach the chunk at `settleTranslated`, see {@link setInPlace}).
 * Returns the index of that IAC, -1 when the data runs to the end of the chunk, or {@link HELD} when it ends with a
 * CR that must wait for the next chunk.
 */
const passNewlinesInPlace = (self: DecoderState, chunk: Uint8Array, from: number, sink: TelnetSink): number => {
  const begin = self.written;
  const end = chunk.length;
  const stopped = translateInPlace(chunk, from, begin, self.commandsIgnored?.() === true);
  const to = translation.end;
  self.written = to;
  if (to > begin) sink.data(chunk, begin, to);
  if (stopped < end) return stopped;
  return from < end && chunk[end - 1] === CR ? HELD : -1;
};

/**
 * Lets `decoder` rewrite the chunks it is given from the next one on, or no longer: data is then moved down over
 * the bytes of commands, escapes and dropped CRs in the chunk itself, so that the data of a chunk is one range of
 * it and nothing is copied. For chunks no one else reads (a socket's reads); their bytes past the data passed are
 * unspecified after the call. The bytes of the data ranges passed reach the chunk when `settleTranslated()` (of
 * the scan module) is called: the caller does before it reads them, and after each call.
 *
 * @internal
 */
export const setInPlace = (decoder: TelnetDecoder, inPlace: boolean): void => {
  (decoder as DecoderState).inPlace = inPlace;
};

/**
 * Lets `decoder`, while `ignored()` returns true, drop the commands from NOP to GA (`IAC 241` to `IAC 249`) inside
 * the data runs it translates in place (nvt mode, {@link setInPlace}) without passing them to the sink: one
 * translation goes on past them. For a sink that passes nothing on for them then; it is asked once per run.
 *
 * @internal
 */
export const ignoreCommandsWhile = (decoder: TelnetDecoder, ignored: (() => boolean) | undefined): void => {
  (decoder as DecoderState).commandsIgnored = ignored;
};

/** Makes room for `needed` payload bytes (at most the limit), keeping the first `length`. */
const reservePayload = (decoder: DecoderState, needed: number, length: number): Uint8Array => {
  const buffer = decoder.payload;
  if (needed <= buffer.length) return buffer;
  const grown = new Uint8Array(Math.min(decoder.maxSubnegotiation, Math.max(needed, buffer.length * 2)));
  grown.set(buffer.subarray(0, length));
  decoder.payload = grown;
  return grown;
};

/** Appends `chunk[from, to)` to the payload; false (and nothing appended) when that would pass the limit. */
const appendPayload = (decoder: DecoderState, chunk: Uint8Array, from: number, to: number): boolean => {
  const count = to - from;
  const length = decoder.payloadLength;
  const needed = length + count;
  if (needed > decoder.maxSubnegotiation) return false;
  const buffer = reservePayload(decoder, needed, length);
  if (count <= SHORT_COPY) {
    for (let k = 0; k < count; k++) buffer[length + k] = chunk[from + k] ?? 0;
  } else {
    buffer.set(view(chunk, from, to), length);
  }
  decoder.payloadLength = needed;
  return true;
};

/** A view of the first `length` bytes of the assembly buffer; for small lengths one made once and reused. */
const payloadView = (decoder: DecoderState, length: number): Uint8Array => {
  const buffer = decoder.payload;
  if (length > SMALL_PAYLOAD) return view(buffer, 0, length);
  const views = decoder.payloadViews;
  if (decoder.payloadViewsOf !== buffer) {
    views.fill(undefined);
    decoder.payloadViewsOf = buffer;
  }
  const cached = views[length];
  if (cached !== undefined) return cached;
  const made = view(buffer, 0, length);
  views[length] = made;
  return made;
};

/**
 * The payload `source[from, to)` with its `escapes` doubled IACs undone, `length` bytes long (within the limit),
 * as the sink gets it: a view of the chunk when it is long and has no escapes, else copied (and unescaped) to the
 * decoder's assembly buffer and returned as a view of that.
 */
const payloadOf = (
  decoder: DecoderState,
  source: Uint8Array,
  from: number,
  to: number,
  length: number,
  escapes: number,
): Uint8Array => {
  if (source === decoder.payload) return payloadView(decoder, length);
  if (escapes === 0 && length > SMALL_PAYLOAD) return view(source, from, to);
  const out = reservePayload(decoder, length, 0);
  let at = 0;
  for (let k = from; k < to; k++) {
    const byte = source[k] ?? 0;
    out[at++] = byte;
    if (byte === IAC) k++;
  }
  return payloadView(decoder, length);
};

const tooLong = (option: number, limit: number) =>
  `subnegotiation of option ${option} longer than ${limit} bytes; dropped up to IAC SE`;

/**
 * Ends the subnegotiation of `option` at its `IAC SE`, for every path that gets there (whole in one chunk, or
 * assembled across chunks). Its payload is `source[from, to)`, holding `escapes` doubled IACs: a view of the chunk,
 * or the decoder's assembly buffer. Passes the Subnegotiation (a view) to the sink unless its `wants` declines it,
 * or only a `SubnegotiationTooLong` warning when the payload passes the limit; leaves the decoder between
 * subnegotiations (the caller goes on in S_DATA). Returns true when decoding must pause here (`pauseAfter(option)`,
 * asked of every subnegotiation within the limit, wanted or not), the decoder's state then saved for the next call.
 */
const endSubnegotiation = (
  self: DecoderState,
  option: number,
  source: Uint8Array,
  from: number,
  to: number,
  escapes: number,
  sink: TelnetSink,
  pauseAfter: ((option: number) => boolean) | undefined,
): boolean => {
  self.payloadLength = 0;
  const length = to - from - escapes;
  if (length > self.maxSubnegotiation) {
    sink.warning('SubnegotiationTooLong', tooLong(option, self.maxSubnegotiation));
    return false;
  }
  if (sink.wants?.(option) !== false) sink.subnegotiation(option, payloadOf(self, source, from, to, length, escapes));
  if (pauseAfter?.(option) !== true) return false;
  self.state = S_DATA;
  return true;
};

/** The subnegotiation being assembled passed the limit: warns, and returns the state that drops it up to IAC SE. */
const overflow = (self: DecoderState, sink: TelnetSink): number => {
  sink.warning('SubnegotiationTooLong', tooLong(self.option, self.maxSubnegotiation));
  self.payloadLength = 0;
  return S_SB_DROP;
};

const unterminated = (byte: number) => `IAC ${byte} inside a subnegotiation; the subnegotiation is dropped`;

/**
 * Decodes `chunk` from `offset` (default 0) into `sink`, calling it for every event in wire order, with no
 * allocation per event: the zero-allocation entry of the decoder, for consumers who want libtelnet's model.
 * {@link decodeChunk} is built on it; state, splitting, `pauseAfter` and the returned index are the same.
 *
 * Returns the index just past the last byte consumed: `chunk.length` normally; smaller when `pauseAfter(option)`
 * returned true for a subnegotiation that just ended (its `IAC SE` consumed, after `sink.subnegotiation`, or after
 * `sink.wants` declined it). The rest, `chunk.subarray(returned)`, is not parsed: with MCCP2 it is compressed, and
 * the caller decodes it (inflated) with further calls.
 *
 * Data is passed as ranges of `chunk` (no copy; of a plain `Uint8Array` view of it when it is a `Buffer`) or, for
 * the runs whose newlines nvt mode translates, of a buffer the decoder reuses; subnegotiation payloads as views
 * valid during the call.
 * Bad input never throws: it yields warnings.
 *
 * @example
 * ```ts
 * import { createDecoder, decodeInto, flushInto, type TelnetSink } from 'rxtelnet';
 * const parts: string[] = [];
 * const text = new TextDecoder();
 * const sink: TelnetSink = {
 *   data: (bytes, start, end) => { parts.push(text.decode(bytes.subarray(start, end))); },
 *   command: () => undefined,
 *   negotiation: () => undefined,
 *   subnegotiation: () => undefined,
 *   warning: () => undefined,
 * };
 * const decoder = createDecoder();
 * decodeInto(decoder, Uint8Array.of(111, 255, 255, 107), sink); // "o\xff", "k"
 * flushInto(decoder, sink);
 * ```
 */
export const decodeInto = (
  decoder: TelnetDecoder,
  chunk: Uint8Array,
  sink: TelnetSink,
  pauseAfter?: (option: number) => boolean,
  offset = 0,
): number => {
  const self = decoder as DecoderState;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called on the plain view, with `call`
  const ownIndexOf = chunk.indexOf;
  self.memchr = self.newline === 'raw' && ownIndexOf !== nativeIndexOf ? ownIndexOf : undefined;
  return decodeBytes(self, plainBytes(chunk), sink, pauseAfter, offset);
};

/** The work of {@link decodeInto}, on the chunk as a plain `Uint8Array`. */
const decodeBytes = (
  self: DecoderState,
  chunk: Uint8Array,
  sink: TelnetSink,
  pauseAfter: ((option: number) => boolean) | undefined,
  offset: number,
): number => {
  const end = chunk.length;
  let state = self.state;
  let i = offset;
  // The search caches hold within one call: a source may refill the same buffer.
  self.crChunk = undefined;
  forgetScanned();
  self.written = offset;
  while (i < end) {
    switch (state) {
      case S_DATA: {
        // One pass per data run; common commands are decoded here, without a round through the state machine.
        for (;;) {
          let iac: number;
          let start = i;
          if (self.newline === 'raw') {
            iac = find(self, chunk, IAC, i, end);
          } else if (self.inPlace) {
            iac = passNewlinesInPlace(self, chunk, i, sink);
            if (iac === HELD) {
              state = S_CR;
              i = end;
              break;
            }
            start = iac < 0 ? end : iac;
          } else {
            iac = find(self, chunk, IAC, i, end);
            start = passNewlines(self, chunk, i, iac < 0 ? end : iac, sink);
            if (start < 0) {
              state = S_CR;
              i = end;
              break;
            }
          }
          if (iac < 0) {
            if (end > start) passData(self, chunk, start, end, sink);
            i = end;
            break;
          }
          const next = chunk[iac + 1];
          if (next === IAC) {
            passData(self, chunk, start, iac + 1, sink);
            i = iac + 2;
            continue;
          }
          if (iac > start) passData(self, chunk, start, iac, sink);
          if (next === undefined) {
            i = end;
            state = S_IAC;
            break;
          }
          if (next > SB) {
            const option = chunk[iac + 2];
            if (option === undefined) {
              self.verb = next;
              i = end;
              state = S_VERB;
              break;
            }
            sink.negotiation(next, option);
            i = iac + 3;
          } else if (next === SB) {
            const option = chunk[iac + 2];
            if (option === undefined || option === IAC) {
              i = iac + 2;
              state = S_SB_OPTION;
              break;
            }
            const from = iac + 3;
            let close = find(self, chunk, IAC, from, end);
            let escapes = 0;
            while (close >= 0 && chunk[close + 1] === IAC) {
              escapes++;
              close = find(self, chunk, IAC, close + 2, end);
            }
            if (close < 0 || chunk[close + 1] !== SE) {
              self.option = option;
              self.payloadLength = 0;
              i = from;
              state = S_SB;
              break;
            }
            // The whole subnegotiation is in this chunk: its payload is passed on directly.
            i = close + 2;
            if (endSubnegotiation(self, option, chunk, from, close, escapes, sink, pauseAfter)) return i;
          } else {
            if (next === SE) sink.warning('StraySE', STRAY_SE);
            else sink.command(next);
            i = iac + 2;
          }
        }
        break;
      }
      case S_CR: {
        const byte = chunk[i];
        if (byte === LF) {
          // CR LF -> LF: the LF starts the next data run.
        } else if (byte === NUL) {
          sink.data(HELD_CR, 0, 1);
          i++;
        } else {
          sink.data(HELD_CR, 0, 1);
        }
        state = S_DATA;
        break;
      }
      case S_IAC: {
        const byte = chunk[i] ?? 0;
        i++;
        if (byte === IAC) {
          passData(self, chunk, i - 1, i, sink);
          state = S_DATA;
        } else if (byte === SB) {
          state = S_SB_OPTION;
        } else if (byte >= WILL) {
          self.verb = byte;
          state = S_VERB;
        } else {
          if (byte === SE) sink.warning('StraySE', STRAY_SE);
          else sink.command(byte);
          state = S_DATA;
        }
        break;
      }
      case S_VERB: {
        const option = chunk[i] ?? 0;
        i++;
        sink.negotiation(self.verb, option);
        state = S_DATA;
        break;
      }
      case S_SB_OPTION: {
        const byte = chunk[i] ?? 0;
        i++;
        if (byte === IAC) {
          state = S_SB_OPTION_IAC;
        } else {
          self.option = byte;
          self.payloadLength = 0;
          state = S_SB;
        }
        break;
      }
      case S_SB_OPTION_IAC: {
        const byte = chunk[i];
        if (byte === IAC) {
          self.option = IAC;
          self.payloadLength = 0;
          state = S_SB;
          i++;
        } else if (byte === SE) {
          sink.warning('EmptySubnegotiation', EMPTY_SB);
          state = S_DATA;
          i++;
        } else {
          sink.warning('UnterminatedSubnegotiation', unterminated(byte ?? 0));
          state = S_IAC; // decode IAC x as if no subnegotiation had been open
        }
        break;
      }
      case S_SB: {
        for (;;) {
          const iac = find(self, chunk, IAC, i, end);
          const after = iac < 0 ? undefined : chunk[iac + 1];
          const stop = iac < 0 ? end : after === IAC ? iac + 1 : iac;
          if (stop > i && !appendPayload(self, chunk, i, stop)) {
            state = overflow(self, sink);
            break; // rescan the same bytes while dropping
          }
          if (iac < 0) {
            i = end;
          } else if (after === IAC) {
            i = iac + 2;
            continue;
          } else if (after === SE) {
            i = iac + 2;
            state = S_DATA;
            if (endSubnegotiation(self, self.option, self.payload, 0, self.payloadLength, 0, sink, pauseAfter)) {
              return i;
            }
          } else {
            i = iac + 1;
            state = S_SB_IAC;
          }
          break;
        }
        break;
      }
      case S_SB_IAC: {
        const byte = chunk[i];
        if (byte === IAC) {
          state = appendPayload(self, chunk, i, i + 1) ? S_SB : overflow(self, sink);
          i++;
        } else if (byte === SE) {
          i++;
          state = S_DATA;
          if (endSubnegotiation(self, self.option, self.payload, 0, self.payloadLength, 0, sink, pauseAfter)) {
            return i;
          }
        } else {
          sink.warning('UnterminatedSubnegotiation', unterminated(byte ?? 0));
          self.payloadLength = 0;
          state = S_IAC;
        }
        break;
      }
      case S_SB_DROP: {
        const iac = find(self, chunk, IAC, i, end);
        if (iac < 0) {
          i = end;
        } else {
          i = iac + 1;
          state = S_SB_DROP_IAC;
        }
        break;
      }
      default: {
        // S_SB_DROP_IAC
        const byte = chunk[i];
        if (byte === IAC) {
          state = S_SB_DROP;
          i++;
        } else if (byte === SE) {
          state = S_DATA;
          i++;
        } else {
          sink.warning('UnterminatedSubnegotiation', unterminated(byte ?? 0));
          state = S_IAC;
        }
      }
    }
  }
  self.state = state;
  return end;
};

/**
 * Ends the input into `sink`: passes what the decoder holds (a CR held in NVT mode, as data) and a `Truncated`
 * warning if the input ended inside a command or subnegotiation; then resets the decoder for a new stream.
 * {@link flushDecoder} is built on it.
 *
 * @example
 * ```ts
 * import { createDecoder, decodeInto, flushInto, type TelnetSink } from 'rxtelnet';
 * const sink: TelnetSink = {
 *   data: () => undefined,
 *   command: () => undefined,
 *   negotiation: () => undefined,
 *   subnegotiation: () => undefined,
 *   warning: (code) => { console.log(code); },
 * };
 * const decoder = createDecoder();
 * decodeInto(decoder, Uint8Array.of(255, 250, 24), sink);
 * flushInto(decoder, sink); // Truncated
 * ```
 */
export const flushInto = (decoder: TelnetDecoder, sink: TelnetSink): void => {
  const self = decoder as DecoderState;
  const state = self.state;
  self.state = S_DATA;
  self.payloadLength = 0;
  self.crChunk = undefined;
  if (state === S_CR) {
    sink.data(HELD_CR, 0, 1);
  } else if (state === S_IAC || state === S_VERB) {
    sink.warning('Truncated', 'input ended inside a command; dropped');
  } else if (state !== S_DATA) {
    sink.warning('Truncated', 'input ended inside a subnegotiation; dropped');
  }
};

/** Where an {@link EventSink} sends its events: an RxJS `Subscriber`, or `{ next: emit }`. */
export interface EventReceiver {
  next(event: TelnetEvent): void;
}

/**
 * The sink behind {@link decodeChunk} and `decodeTelnet`: turns each call into a plain event for its receiver
 * (data views, interned commands and negotiations, payload copies). The operator hands it its subscriber, so that
 * every instance calls the same `next` (one call target for the engine, however many streams decode); a decoder
 * keeps the last one `decodeChunk` made, for the same `emit`.
 *
 * @internal
 */
export class EventSink implements TelnetSink {
  /** The slab that payload copies are cut from, and how much of it is used. */
  private slab = new ArrayBuffer(0);
  private slabUsed = 0;
  /** The chunk of the last data, with its buffer and offset. */
  private chunk: Uint8Array | undefined;
  private chunkBuffer: ArrayBufferLike = this.slab;
  private chunkOffset = 0;

  constructor(
    private readonly receiver: EventReceiver,
    /** The function `decodeChunk` made it for, if it did. */
    readonly emit?: (event: TelnetEvent) => void,
  ) {}

  data(bytes: Uint8Array, start: number, end: number): void {
    if (isDecoderBuffer(bytes)) {
      this.receiver.next(data(bytes.slice(start, end)));
      return;
    }
    if (bytes !== this.chunk) {
      // Reading these once per chunk halves the cost of each view (the getters are slow on a Buffer).
      this.chunk = bytes;
      this.chunkBuffer = bytes.buffer;
      this.chunkOffset = bytes.byteOffset;
    }
    this.receiver.next(data(new Uint8Array(this.chunkBuffer, this.chunkOffset + start, end - start)));
  }

  command(byte: number): void {
    this.receiver.next(COMMANDS[byte] ?? command(byte));
  }

  negotiation(verb: number, option: number): void {
    this.receiver.next(NEGOTIATIONS[((verb - WILL) << 8) | option] ?? negotiation(verbName(verb), option));
  }

  subnegotiation(option: number, payload: Uint8Array): void {
    this.receiver.next(subnegotiation(option, this.copyOf(payload)));
  }

  /**
   * A copy of `payload` to keep. Payloads up to SLAB_MAX bytes are cut from a shared SLAB-byte buffer, as Node cuts
   * small Buffers from its pool: a typed array of more than 64 bytes would get its own memory outside the JavaScript
   * heap, which costs ten times more than the copy, and even a small one on the heap costs about twice a view.
   */
  private copyOf(payload: Uint8Array): Uint8Array {
    const count = payload.length;
    if (count > SLAB_MAX) return payload.slice();
    if (this.slabUsed + count > this.slab.byteLength) {
      this.slab = new ArrayBuffer(SLAB);
      this.slabUsed = 0;
    }
    const out = new Uint8Array(this.slab, this.slabUsed, count);
    if (count <= SHORT_COPY) for (let k = 0; k < count; k++) out[k] = payload[k] ?? 0;
    else out.set(payload);
    this.slabUsed += count;
    return out;
  }

  warning(code: WarningCode, detail: string): void {
    this.receiver.next(warning(code, detail));
  }
}

/** The decoder's event sink for `emit`, made when `emit` is not the one it was last given. */
const eventSink = (self: DecoderState, emit: (event: TelnetEvent) => void): EventSink => {
  const cached = self.events;
  if (cached?.emit === emit) return cached;
  const made = new EventSink({ next: emit }, emit);
  self.events = made;
  return made;
};

/**
 * Decodes `chunk` from `offset` (default 0), calling `emit` for every event in wire order: {@link decodeInto} with
 * a sink that makes plain event objects. State carries over from chunk to chunk: any split of the same bytes gives
 * the same events (data runs may be cut differently).
 *
 * Returns the index just past the last byte consumed: `chunk.length` normally; smaller when `pauseAfter(option)`
 * returned true for a subnegotiation that just ended (its `IAC SE` consumed). The rest, `chunk.subarray(returned)`,
 * is not parsed: with MCCP2 it is compressed, and the caller decodes it (inflated) with further calls.
 *
 * Data events are views of `chunk`'s memory (plain `Uint8Array`s, no copy, even when `chunk` is a Node `Buffer`):
 * keep them as long as the source does not reuse its buffers (Node sockets never do); `bytes.slice()` them
 * otherwise. Subnegotiation payloads are copies: keep them freely (one of up to 1024 bytes is a view of a 16 KiB
 * buffer it shares with other payloads of the same decoder, as small Node Buffers share a pool: its `.buffer` is
 * not the payload alone). Negotiation and command events are shared frozen objects. Bad input never throws: it
 * yields warnings. In a subnegotiation every 255 byte is doubled, the option byte included
 * (`IAC SB IAC IAC ...` is option 255).
 *
 * @example
 * ```ts
 * import { createDecoder, decodeChunk, type TelnetEvent } from 'rxtelnet';
 * const decoder = createDecoder();
 * const events: TelnetEvent[] = [];
 * decodeChunk(decoder, Uint8Array.of(255, 253), (event) => events.push(event));
 * decodeChunk(decoder, Uint8Array.of(31, 111, 107), (event) => events.push(event));
 * // events: Negotiation DO 31, then Data "ok"
 * ```
 */
export const decodeChunk = (
  decoder: TelnetDecoder,
  chunk: Uint8Array,
  emit: (event: TelnetEvent) => void,
  pauseAfter?: (option: number) => boolean,
  offset = 0,
): number => decodeInto(decoder, chunk, eventSink(decoder as DecoderState, emit), pauseAfter, offset);

/**
 * Ends the input: emits what the decoder holds (a CR held in NVT mode, as data) and a `Truncated` warning if the
 * input ended inside a command or subnegotiation; then resets the decoder for a new stream.
 *
 * @example
 * ```ts
 * import { createDecoder, decodeChunk, flushDecoder } from 'rxtelnet';
 * const decoder = createDecoder();
 * decodeChunk(decoder, Uint8Array.of(255, 250, 24), () => undefined);
 * flushDecoder(decoder, (event) => { console.log(event); }); // Warning Truncated
 * ```
 */
export const flushDecoder = (decoder: TelnetDecoder, emit: (event: TelnetEvent) => void): void => {
  flushInto(decoder, eventSink(decoder as DecoderState, emit));
};

/**
 * Decodes whole chunks into an array of events, flushing at the end: a convenience for tests and docs.
 *
 * @example
 * ```ts
 * import { decodeAll } from 'rxtelnet';
 * decodeAll([Uint8Array.of(255, 250, 31, 0, 80, 0, 24, 255, 240)]);
 * // [{ _tag: 'Subnegotiation', option: 31, payload: Uint8Array [0, 80, 0, 24] }]
 * ```
 */
export const decodeAll = (chunks: Iterable<Uint8Array>, options?: DecoderOptions): TelnetEvent[] => {
  const decoder = createDecoder(options);
  const events: TelnetEvent[] = [];
  const push = (event: TelnetEvent): void => {
    events.push(event);
  };
  for (const chunk of chunks) decodeChunk(decoder, chunk, push);
  flushDecoder(decoder, push);
  return events;
};
