import type { NegotiationVerb, TelnetEvent } from './events.js';

/**
 * Options of {@link encodeData} and {@link encodeEvent}.
 *
 * @example
 * ```ts
 * import { encodeData } from 'rxtelnet';
 * import type { EncodeDataOptions } from 'rxtelnet';
 * const nvt: EncodeDataOptions = { newline: 'nvt' };
 * encodeData(new TextEncoder().encode('one\ntwo'), nvt); // 'one\r\ntwo'
 * ```
 */
export interface EncodeDataOptions {
  /**
   * `'raw'` (default) only doubles IAC; `'nvt'` also writes NVT newlines (RFC 854): a bare LF becomes `CR LF`,
   * a bare CR becomes `CR NUL`, an existing `CR LF` is kept.
   */
  readonly newline?: 'raw' | 'nvt';
}

const IAC = 255;
const SB = 250;
const SE = 240;
const CR = 13;
const LF = 10;
const NUL = 0;

const VERB_BYTES: Readonly<Record<NegotiationVerb, number>> = { WILL: 251, WONT: 252, DO: 253, DONT: 254 };

const EMPTY = new Uint8Array(0);

const countIAC = (bytes: Uint8Array): number => {
  let count = 0;
  for (let i = bytes.indexOf(IAC); i >= 0; i = bytes.indexOf(IAC, i + 1)) count++;
  return count;
};

/** Writes `bytes` into `out` from `at` with every IAC doubled; returns the index after the last byte written. */
const writeEscaped = (bytes: Uint8Array, out: Uint8Array, at: number): number => {
  let from = 0;
  let to = at;
  for (let iac = bytes.indexOf(IAC); iac >= 0; iac = bytes.indexOf(IAC, iac + 1)) {
    out.set(bytes.subarray(from, iac + 1), to);
    to += iac + 1 - from;
    out[to++] = IAC;
    from = iac + 1;
  }
  out.set(bytes.subarray(from), to);
  return to + bytes.length - from;
};

/** Writes the NVT form of `bytes` to `out` from `at` (room for twice their length); returns where it ended. */
const writeNvt = (bytes: Uint8Array, out: Uint8Array, at: number): number => {
  const length = bytes.length;
  let o = at;
  for (let i = 0; i < length; i++) {
    const byte = bytes[i] ?? 0;
    out[o++] = byte;
    if (byte > CR && byte !== IAC) continue;
    if (byte === IAC) {
      out[o++] = IAC;
    } else if (byte === CR) {
      if (bytes[i + 1] === LF) {
        out[o++] = LF;
        i++;
      } else {
        out[o++] = NUL;
      }
    } else if (byte === LF) {
      out[o - 1] = CR;
      out[o++] = LF;
    }
  }
  return o;
};

/**
 * NVT output of up to `SLAB / 2` bytes is written in one pass to a shared slab and returned as a view of it, as Node
 * cuts small Buffers from its pool: no allocation per write, no pass to count first. Each part of the slab is
 * written once: the views handed out never change. Longer output gets an array of its own.
 */
const SLAB = 64 * 1024;
let slab = new Uint8Array(SLAB);
let slabUsed = 0;

const encodeNvt = (bytes: Uint8Array): Uint8Array => {
  const room = 2 * bytes.length;
  if (room > SLAB / 2) {
    const out = new Uint8Array(room);
    const end = writeNvt(bytes, out, 0);
    return end === bytes.length ? bytes : out.slice(0, end);
  }
  if (slabUsed + room > SLAB) {
    slab = new Uint8Array(SLAB);
    slabUsed = 0;
  }
  const start = slabUsed;
  const end = writeNvt(bytes, slab, start);
  // Every change makes the output longer: the same length means nothing to change, and the input is returned
  // as it is (its copy in the slab is overwritten by the next write).
  if (end === start + bytes.length) return bytes;
  slabUsed = end;
  return slab.subarray(start, end);
};

/**
 * Encodes application data for the wire: every IAC doubled and, in `'nvt'` mode, NVT newlines (bare LF ->
 * `CR LF`, bare CR -> `CR NUL`, `CR LF` kept). A CR at the very end of `bytes` counts as bare (`CR NUL`): to send
 * a `CR LF` split over two writes, end the first one before the CR. Returns `bytes` itself when nothing needs
 * escaping (no copy); otherwise a new array.
 *
 * @example
 * ```ts
 * import { encodeData } from 'rxtelnet';
 * encodeData(Uint8Array.of(1, 255, 2)); // 01 ff ff 02
 * encodeData(new TextEncoder().encode('look\n'), { newline: 'nvt' }); // "look\r\n"
 * ```
 */
export const encodeData = (bytes: Uint8Array, options?: EncodeDataOptions): Uint8Array => {
  if (options?.newline === 'nvt') return encodeNvt(bytes);
  const count = countIAC(bytes);
  if (count === 0) return bytes;
  const out = new Uint8Array(bytes.length + count);
  writeEscaped(bytes, out, 0);
  return out;
};

/**
 * Encodes a command: `IAC command`. Use it for the bytes that are not `IAC`, `SB`, `SE` or a negotiation verb.
 *
 * @example
 * ```ts
 * import { encodeCommand, Command } from 'rxtelnet';
 * encodeCommand(Command.GA); // ff f9
 * ```
 */
export const encodeCommand = (command: number): Uint8Array => Uint8Array.of(IAC, command);

/**
 * Encodes a negotiation: `IAC verb option` (option 255, EXOPL, is written as it is).
 *
 * @example
 * ```ts
 * import { encodeNegotiation, TelnetOption } from 'rxtelnet';
 * encodeNegotiation('WILL', TelnetOption.NAWS); // ff fb 1f
 * ```
 */
export const encodeNegotiation = (verb: NegotiationVerb, option: number): Uint8Array =>
  Uint8Array.of(IAC, VERB_BYTES[verb], option);

/**
 * Encodes a subnegotiation: `IAC SB option payload IAC SE`, with every 255 byte of the payload doubled (and an
 * option byte 255 doubled too, as the decoder expects).
 *
 * @example
 * ```ts
 * import { encodeSubnegotiation, TelnetOption } from 'rxtelnet';
 * encodeSubnegotiation(TelnetOption.NAWS, Uint8Array.of(0, 255, 0, 24)); // ff fa 1f 00 ff ff 00 18 ff f0
 * ```
 */
export const encodeSubnegotiation = (option: number, payload: Uint8Array): Uint8Array => {
  const optionLength = option === IAC ? 2 : 1;
  const out = new Uint8Array(2 + optionLength + payload.length + countIAC(payload) + 2);
  out[0] = IAC;
  out[1] = SB;
  out[2] = option;
  if (option === IAC) out[3] = IAC;
  const at = writeEscaped(payload, out, 2 + optionLength);
  out[at] = IAC;
  out[at + 1] = SE;
  return out;
};

/**
 * Encodes any event for the wire; a warning encodes to an empty array (it is not part of the protocol).
 *
 * @example
 * ```ts
 * import { encodeEvent, negotiation, TelnetOption } from 'rxtelnet';
 * encodeEvent(negotiation('DO', TelnetOption.GMCP)); // ff fd c9
 * ```
 */
export const encodeEvent = (event: TelnetEvent, options?: EncodeDataOptions): Uint8Array => {
  switch (event._tag) {
    case 'Data':
      return encodeData(event.bytes, options);
    case 'Command':
      return encodeCommand(event.command);
    case 'Negotiation':
      return encodeNegotiation(event.verb, event.option);
    case 'Subnegotiation':
      return encodeSubnegotiation(event.option, event.payload);
    case 'Warning':
      return EMPTY;
  }
};
