import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NegotiationVerb, TelnetEvent } from '../../src/codec/events.js';
import { command, data, negotiation, subnegotiation, warning } from '../../src/codec/events.js';
import { encodeData, encodeEvent } from '../../src/codec/encoder.js';
import {
  createDecoder,
  decodeAll,
  decodeChunk,
  decodeInto,
  flushDecoder,
  flushInto,
  ignoreCommandsWhile,
  setInPlace,
} from '../../src/codec/parser.js';
import { settleTranslated } from '../../src/codec/scan.js';
import type { TelnetSink } from '../../src/codec/parser.js';
import type { DecoderState } from '../../src/codec/decoder-state.js';
import { dataOf, normalize } from '../codec/normalize.js';

const numRuns = 10_000;
const IAC = 255;

/** Bytes biased towards the ones the codec treats specially: IAC, SB, SE, the verbs, commands, CR, LF, NUL. */
const telnetByte = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 255 }) },
  { weight: 2, arbitrary: fc.constantFrom(255, 250, 240, 251, 252, 253, 254, 249, 241, 246, 239, 13, 10, 0) },
);
const telnetBytes = fc.uint8Array({ maxLength: 24 }).chain((noise) =>
  fc.array(telnetByte, { maxLength: 24 }).map((special) => {
    const out = new Uint8Array(noise.length + special.length);
    out.set(noise);
    out.set(special, noise.length);
    return out;
  }),
);
const mixedBytes = fc.array(telnetByte, { maxLength: 32 }).map((values) => Uint8Array.from(values));
const anyBytes = fc.oneof(mixedBytes, telnetBytes);
const newline = fc.constantFrom('raw' as const, 'nvt' as const);

/** Cuts `whole` at the given positions (modulo its length + 1, in any order). */
const cut = (whole: Uint8Array, positions: readonly number[]): Uint8Array[] => {
  const cuts = [...new Set(positions.map((p) => p % (whole.length + 1)))].sort((a, b) => a - b);
  return [0, ...cuts].map((start, i) => whole.subarray(start, cuts[i] ?? whole.length));
};

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** Long inputs with sparse special bytes: runs past the probe, so the word scan (and memchr) do the searching. */
const longBytes = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.uint8Array({ maxLength: 90 }) },
      { weight: 2, arbitrary: fc.array(telnetByte, { maxLength: 6 }).map((values) => Uint8Array.from(values)) },
    ),
    { maxLength: 10 },
  )
  .map((parts) => concat(parts));

/** `values` placed at `offset` in a larger buffer (filled with IAC around it), as a plain array or a Node Buffer. */
const placed = (values: Uint8Array, offset: number, asBuffer: boolean): Uint8Array => {
  const buffer = new Uint8Array(offset + values.length + 3).fill(IAC);
  buffer.set(values, offset);
  return asBuffer
    ? Buffer.from(buffer.buffer, offset, values.length)
    : new Uint8Array(buffer.buffer, offset, values.length);
};

/** The events `decodeInto` passes to its sink, as plain events (data and payloads copied during the call). */
const decodeIntoAll = (
  chunks: readonly Uint8Array[],
  options: { newline: 'raw' | 'nvt'; maxSubnegotiation: number },
  pauseAfter?: (option: number) => boolean,
) => {
  const events: TelnetEvent[] = [];
  const sink: TelnetSink = {
    data: (bytes, start, end) => events.push(data(bytes.slice(start, end))),
    command: (byte) => events.push(command(byte)),
    negotiation: (verbByte, option) =>
      events.push(negotiation((['WILL', 'WONT', 'DO', 'DONT'] as const)[verbByte - 251] ?? 'WILL', option)),
    subnegotiation: (option, payload) => events.push(subnegotiation(option, payload.slice())),
    warning: (code, detail) => events.push(warning(code, detail)),
  };
  const decoder = createDecoder(options);
  const returned = chunks.map((chunk) => decodeInto(decoder, chunk, sink, pauseAfter));
  flushInto(decoder, sink);
  return { events, returned };
};

const verb = fc.constantFrom<NegotiationVerb>('WILL', 'WONT', 'DO', 'DONT');
const commandByte = fc.oneof(fc.integer({ min: 0, max: 239 }), fc.integer({ min: 241, max: 249 }));
const event: fc.Arbitrary<TelnetEvent> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 16 }).map(data),
  mixedBytes.filter((bytes) => bytes.length > 0).map(data),
  commandByte.map(command),
  fc.tuple(verb, fc.integer({ min: 0, max: 255 })).map(([v, option]) => negotiation(v, option)),
  fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 12 }))
    .map(([option, payload]) => subnegotiation(option, payload)),
);

describe('codec properties', () => {
  it('decodes any split of the same bytes to the same events', () => {
    fc.assert(
      fc.property(anyBytes, fc.array(fc.nat(), { maxLength: 4 }), newline, (bytes, positions, mode) => {
        const options = { newline: mode, maxSubnegotiation: 8 };
        expect(normalize(decodeAll(cut(bytes, positions), options))).toEqual(normalize(decodeAll([bytes], options)));
      }),
      { numRuns },
    );
  });

  it('decodeInto passes the same events as decodeChunk, and returns the same, for any input and chunking', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyBytes, longBytes),
        fc.array(fc.nat(), { maxLength: 4 }),
        newline,
        fc.integer({ min: 0, max: 80 }),
        (bytes, positions, mode, limit) => {
          const options = { newline: mode, maxSubnegotiation: limit };
          const chunks = cut(bytes, positions);
          const into = decodeIntoAll(chunks, options, (option) => option === 86);
          const decoder = createDecoder(options);
          const events: TelnetEvent[] = [];
          const push = (event: TelnetEvent): void => {
            events.push(event);
          };
          const returned = chunks.map((chunk) => decodeChunk(decoder, chunk, push, (option) => option === 86));
          flushDecoder(decoder, push);
          expect(into.returned).toEqual(returned);
          expect(normalize(into.events)).toEqual(normalize(events));
          expect(into.events.length).toBe(events.length);
        },
      ),
      { numRuns },
    );
  });

  it('scans long runs of plain arrays and Buffers, at any alignment, like a byte-at-a-time decode', () => {
    fc.assert(
      fc.property(
        longBytes,
        fc.array(fc.nat(), { maxLength: 3 }),
        newline,
        fc.integer({ min: 0, max: 7 }),
        fc.boolean(),
        (bytes, positions, mode, offset, asBuffer) => {
          const options = { newline: mode, maxSubnegotiation: 64 };
          const chunks = cut(bytes, positions).map((chunk) => placed(chunk, offset, asBuffer));
          const byteByByte = Array.from(bytes, (byte) => Uint8Array.of(byte));
          expect(normalize(decodeAll(chunks, options))).toEqual(normalize(decodeAll(byteByByte, options)));
          expect(normalize(decodeIntoAll(chunks, options).events)).toEqual(normalize(decodeAll(byteByByte, options)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('in place, passes the same events as out of place (commands NOP to GA dropped while the sink ignores them), leaves the data it passed intact and the rest unread', () => {
    fc.assert(
      fc.property(
        fc.oneof(anyBytes, longBytes),
        fc.array(fc.nat(), { maxLength: 4 }),
        newline,
        fc.boolean(),
        (bytes, positions, mode, observeCommands) => {
          const options = { newline: mode, maxSubnegotiation: 64 };
          const pauseAfter = (option: number): boolean => option === 86;
          const chunks = cut(bytes, positions).map((chunk) => chunk.slice());
          const originals = chunks.map((chunk) => chunk.slice());
          // The views of a chunk the sink gets are kept (not copied) and read once everything is decoded.
          const events: (TelnetEvent | { readonly bytes: Uint8Array; readonly start: number; readonly end: number })[] =
            [];
          const sink: TelnetSink = {
            data: (view, start, end) => {
              const kept = chunks.some((chunk) => chunk === view);
              events.push(
                kept ? { bytes: view, start, end } : { bytes: view.slice(start, end), start: 0, end: end - start },
              );
            },
            command: (byte) => (observeCommands ? events.push(command(byte)) : undefined),
            negotiation: (verbByte, option) =>
              events.push(negotiation((['WILL', 'WONT', 'DO', 'DONT'] as const)[verbByte - 251] ?? 'WILL', option)),
            subnegotiation: (option, payload) => events.push(subnegotiation(option, payload.slice())),
            warning: (code, detail) => events.push(warning(code, detail)),
          };
          const decoder = createDecoder(options);
          setInPlace(decoder, true);
          // A sink that passes nothing on for commands may let the decoder drop them: here, two runs out of three.
          let runs = 0;
          ignoreCommandsWhile(decoder, observeCommands ? undefined : () => runs++ % 3 !== 0);
          const returned = chunks.map((chunk) => {
            const at = decodeInto(decoder, chunk, sink, pauseAfter);
            settleTranslated();
            return at;
          });
          flushInto(decoder, sink);
          returned.forEach((at, k) => {
            expect(chunks[k]?.subarray(at)).toEqual(originals[k]?.subarray(at)); // what it did not read is as it was
          });
          const inPlace = events.map((event) =>
            '_tag' in event ? event : data(event.bytes.slice(event.start, event.end)),
          );
          const outOfPlace = decodeIntoAll(originals, options, pauseAfter);
          expect(returned).toEqual(outOfPlace.returned);
          const commandsAsRead = (list: readonly TelnetEvent[]) =>
            observeCommands ? list : list.filter((event) => event._tag !== 'Command');
          expect(normalize(inPlace)).toEqual(normalize(commandsAsRead(outOfPlace.events)));
        },
      ),
      { numRuns },
    );
  });

  it('decodes what it encodes: decode(encode(events)) = events', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 4 }), (events, positions) => {
        const wire = concat(events.map((e) => encodeEvent(e)));
        expect(normalize(decodeAll(cut(wire, positions)))).toEqual(normalize(events));
      }),
      { numRuns },
    );
  });

  it('never throws on arbitrary bytes and never assembles a payload over the limit', () => {
    fc.assert(
      fc.property(anyBytes, fc.integer({ min: 0, max: 8 }), newline, (bytes, limit, mode) => {
        const decoder = createDecoder({ maxSubnegotiation: limit, newline: mode });
        const events: TelnetEvent[] = [];
        for (const chunk of cut(bytes, [3, 7, 19])) decodeChunk(decoder, chunk, (e) => events.push(e));
        for (const e of events) if (e._tag === 'Subnegotiation') expect(e.payload.length).toBeLessThanOrEqual(limit);
        expect((decoder as DecoderState).payload.length).toBeLessThanOrEqual(limit); // white-box: the internal buffer
      }),
      { numRuns },
    );
  });

  it('warns SubnegotiationTooLong for an oversized payload and leaks none of it into data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 5, maxLength: 16 }), fc.integer({ min: 0, max: 4 }), (payload, limit) => {
        const wire = concat([Uint8Array.of(65), encodeEvent(subnegotiation(24, payload)), Uint8Array.of(66)]);
        const events = normalize(decodeAll([wire], { maxSubnegotiation: limit }));
        expect(events.map((e) => (e._tag === 'Warning' ? e.code : e))).toEqual([
          { _tag: 'Data', bytes: [65] },
          'SubnegotiationTooLong',
          { _tag: 'Data', bytes: [66] },
        ]);
      }),
      { numRuns },
    );
  });

  it('encodeData never leaves an IAC undoubled', () => {
    fc.assert(
      fc.property(anyBytes, newline, (bytes, mode) => {
        const out = encodeData(bytes, { newline: mode });
        for (let i = 0; i < out.length; i++) {
          if (out[i] === IAC) {
            expect(out[i + 1]).toBe(IAC);
            i++;
          }
        }
      }),
      { numRuns },
    );
  });

  it('nvt: data survives encode then decode, with CR LF read as LF', () => {
    fc.assert(
      fc.property(anyBytes, fc.array(fc.nat(), { maxLength: 4 }), (bytes, positions) => {
        const wire = encodeData(bytes, { newline: 'nvt' });
        const expected: number[] = [];
        for (let i = 0; i < bytes.length; i++) {
          const byte = bytes[i]!;
          if (byte === 13 && bytes[i + 1] === 10) continue;
          expected.push(byte);
        }
        expect(dataOf(decodeAll(cut(wire, positions), { newline: 'nvt' }))).toEqual(expected);
      }),
      { numRuns },
    );
  });
});
