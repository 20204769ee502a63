import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import initWabt from 'wabt';
import { describe, expect, it } from 'vitest';
import { createDecoder, decodeAll, decodeChunk, decodeInto, setInPlace } from '../../src/codec/parser.js';
import type { TelnetSink } from '../../src/codec/parser.js';
import {
  findPlain,
  forgetScanned,
  settleTranslated,
  simdScan,
  translateBytes,
  translateInPlace,
  translateNewlines,
  translation,
} from '../../src/codec/scan.js';
import type { TelnetEvent } from '../../src/codec/events.js';
import { normalize } from './normalize.js';

const IAC = 255;
const GA = 249;

/** What `findPlain` must answer. */
const reference = (chunk: Uint8Array, byte: number, from: number): number => {
  for (let k = from; k < chunk.length; k++) if (chunk[k] === byte) return k;
  return -1;
};

describe('findPlain', () => {
  it('uses WebAssembly SIMD on Node', () => {
    expect(simdScan).toBe(true);
  });

  it('finds the byte at every position of short chunks, from every start, and -1 past the last', () => {
    for (let length = 0; length <= 40; length++) {
      for (let at = 0; at < length; at++) {
        const chunk = new Uint8Array(length).fill(7);
        chunk[at] = IAC;
        for (let from = 0; from <= length; from++) {
          forgetScanned();
          expect(findPlain(chunk, IAC, from, length)).toBe(reference(chunk, IAC, from));
        }
      }
    }
  });

  it('ignores bytes left in its memory past the end of a shorter chunk', () => {
    const long = new Uint8Array(100).fill(IAC);
    expect(findPlain(long, IAC, 0, 100)).toBe(0);
    const short = new Uint8Array(20).fill(1);
    expect(findPlain(short, IAC, 3, 20)).toBe(-1);
  });

  it('searches chunks longer than its 64 KiB window, across the window edges', () => {
    const chunk = new Uint8Array(200_000).fill(32);
    // its window is 65,536 bytes: from 0, the edges are at 65,536 and 131,072
    const hits = [0, 65_535, 65_536, 65_537, 131_071, 131_072, 131_087, 199_999];
    for (const hit of hits) chunk[hit] = IAC;
    forgetScanned();
    const found: number[] = [];
    for (let at = findPlain(chunk, IAC, 0, chunk.length); at >= 0; at = findPlain(chunk, IAC, at + 1, chunk.length)) {
      found.push(at);
    }
    expect(found).toEqual(hits);
    // and from a start before the window it holds now
    expect(findPlain(chunk, IAC, 1, chunk.length)).toBe(65_535);
  });

  it('reloads when a decoder called from a sink searched another chunk meanwhile', () => {
    const inner = Uint8Array.from({ length: 300 }, () => 65);
    inner[250] = IAC;
    inner[251] = GA;
    const outer = Uint8Array.from({ length: 300 }, () => 66);
    outer[100] = IAC;
    outer[101] = GA;
    outer[200] = IAC;
    outer[201] = GA;
    const got: TelnetEvent[] = [];
    const nested = createDecoder();
    const outerDecoder = createDecoder();
    decodeChunk(outerDecoder, outer, (event) => {
      got.push(event);
      if (event._tag === 'Command' && got.length === 2) decodeChunk(nested, inner, () => undefined);
    });
    expect(normalize(got)).toEqual(normalize(decodeAll([outer])));
  });

  it('searches the chunk as it is at each call, also when a source refills the same array', () => {
    const chunk = new Uint8Array(100).fill(1);
    chunk[50] = IAC;
    chunk[51] = GA;
    const commands: number[] = [];
    const sink: TelnetSink = {
      data: () => undefined,
      command: (command) => commands.push(command),
      negotiation: () => undefined,
      subnegotiation: () => undefined,
      warning: () => undefined,
    };
    const decoder = createDecoder();
    decodeInto(decoder, chunk, sink);
    chunk.fill(1);
    chunk[80] = IAC;
    chunk[81] = 241;
    decodeInto(decoder, chunk, sink);
    expect(commands).toEqual([GA, 241]);
  });
});

/**
 * What the translation must write for `chunk[from, stop)`, and where it stops: at the first IAC that is not
 * `IAC IAC` (one 255) nor, with `skipCommands`, `IAC 241` to `IAC 249` (dropped), or at an IAC at `stop - 1`.
 */
const referenceTranslation = (chunk: Uint8Array, from: number, stop: number, skipCommands = false) => {
  const out: number[] = [];
  let k = from;
  for (; k < stop; k++) {
    const byte = chunk[k] ?? 0;
    if (byte === IAC) {
      const next = chunk[k + 1] ?? 0;
      if (k + 1 === stop || (next !== IAC && !(skipCommands && next >= 241 && next <= GA))) break;
      if (next === IAC) out.push(IAC);
      k++;
      continue;
    }
    if (byte === 13) {
      if (k + 1 === stop) {
        k = stop;
        break;
      }
      if (chunk[k + 1] === 10) continue;
      if (chunk[k + 1] === 0) k++;
    }
    out.push(byte);
  }
  return { out, stopped: k };
};

/** What `translateNewlines` must write for `chunk[from, stop)`. */
const translatedReference = (chunk: Uint8Array, from: number, stop: number): number[] =>
  referenceTranslation(chunk, from, stop).out;

/**
 * Text as a server sends it: runs of printable bytes (most shorter than the 16 bytes of a SIMD block, some longer)
 * ending in CR LF, and now and then a CR NUL, a lone CR, an escaped 255 or a command.
 */
const serverText = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: fc.uint8Array({ maxLength: 40, min: 32, max: 126 }) },
      { weight: 6, arbitrary: fc.constant([13, 10]) },
      { weight: 1, arbitrary: fc.constantFrom([13, 0], [13], [13, 13], [IAC, IAC], [IAC, GA], [IAC, 241], [IAC, 250]) },
    ),
    { maxLength: 60 },
  )
  .map((parts) => Uint8Array.from(parts.flatMap((part) => [...part])));

/** Each translation out of place, with its in place form (from `from` to `from`, commands skipped or not). */
const translators = [
  [
    'SIMD',
    translateNewlines,
    (chunk: Uint8Array, from: number, skip: boolean) => translateInPlace(chunk, from, from, skip),
  ],
  [
    'byte loop',
    translateBytes,
    (chunk: Uint8Array, from: number, skip: boolean) => translateBytes(chunk, from, chunk.length, chunk, from, skip),
  ],
] as const;

describe.each(translators)('translateNewlines (%s)', (_, translate, translateInPlaceOf) => {
  const translated = (chunk: Uint8Array, from: number, stop: number, inPlace = false): number[] => {
    const target = inPlace ? chunk : new Uint8Array(chunk.length + 16).fill(99);
    const at = inPlace ? from : 3;
    const { stopped: expected } = referenceTranslation(chunk, from, stop);
    expect(translate(chunk, from, stop, target, at)).toBe(expected);
    return [...target.subarray(at, translation.end)];
  };

  it('drops the CR of CR LF and the NUL of CR NUL, keeps other CRs, and leaves a CR at the end to the caller', () => {
    const chunk = Uint8Array.from([97, 13, 10, 98, 13, 0, 99, 13, 13, 10, 13, 100, 13, 65, 13]);
    expect(translated(chunk, 0, chunk.length)).toEqual([97, 10, 98, 13, 99, 13, 10, 13, 100, 13, 65]);
    expect(translated(chunk, 0, chunk.length)).toEqual(translatedReference(chunk, 0, chunk.length));
  });

  it('stops at the first IAC, keeping a CR right before it', () => {
    const chunk = Uint8Array.from([97, 13, 10, 13, IAC, 98, 13, 10]);
    expect(translated(chunk, 0, chunk.length)).toEqual([97, 10, 13]);
    expect(translated(chunk, 5, chunk.length)).toEqual([98, 10]);
  });

  it('agrees with a byte-at-a-time reference at every position, start and stop of short chunks, in place too', () => {
    const patterns = [
      [13, 10],
      [13, 0],
      [13, 13],
      [13, 65],
      [13, IAC],
      [IAC, 13],
      [IAC, IAC],
      [13, IAC, IAC, 10],
      [IAC, GA],
    ];
    for (const pattern of patterns) {
      for (let length = 0; length <= 40; length++) {
        for (let at = 0; at + pattern.length <= length; at++) {
          const chunk = new Uint8Array(length).fill(7);
          chunk.set(pattern, at);
          for (const [from, stop] of [
            [0, length],
            [at, length],
            [0, at + 1],
            [Math.min(1, length), length],
          ] as const) {
            forgetScanned();
            expect(translated(chunk, from, stop)).toEqual(translatedReference(chunk, from, stop));
            forgetScanned();
            const expected = translatedReference(chunk, from, stop);
            expect(translated(chunk.slice(), from, stop, true)).toEqual(expected);
          }
        }
      }
    }
  });

  it('agrees with the reference on text as servers send it: lines of every length, now and then a CR NUL or an IAC', () => {
    fc.assert(
      fc.property(serverText, fc.nat(), fc.boolean(), (chunk, start, skip) => {
        const from = start % (chunk.length + 1);
        forgetScanned();
        expect(translated(chunk, from, chunk.length)).toEqual(translatedReference(chunk, from, chunk.length));
        const { out, stopped } = referenceTranslation(chunk, from, chunk.length, skip);
        const copy = chunk.slice();
        forgetScanned();
        expect(translateInPlaceOf(copy, from, skip)).toBe(stopped);
        const end = translation.end;
        settleTranslated();
        expect([...copy.subarray(from, end)]).toEqual(out);
      }),
      { numRuns: 2_000 },
    );
  });

  it('translates across the edges of its 64 KiB window, whatever follows a CR there', () => {
    // from 5, the edges of its 65,536-byte window are at 65,541 and 131,077
    for (const edge of [65_540, 65_541, 65_542, 131_076, 131_077, 131_078]) {
      for (const next of [10, 0, 13, 65, IAC]) {
        const chunk = new Uint8Array(140_000).fill(32);
        chunk[edge - 1] = 13;
        chunk[edge] = next;
        chunk[edge + 1] = 13;
        chunk[edge + 2] = 10;
        chunk[139_990] = IAC;
        // Compared as Buffers: a diff of 140,000 numbers would take seconds.
        const expected = Buffer.from(translatedReference(chunk, 5, chunk.length));
        forgetScanned();
        expect(Buffer.from(translated(chunk, 5, chunk.length)).equals(expected)).toBe(true);
        forgetScanned();
        expect(Buffer.from(translated(chunk.slice(), 5, chunk.length, true)).equals(expected)).toBe(true);
      }
    }
  });
});

describe('the WebAssembly module', () => {
  it('is the assembly of the text its module documents', async () => {
    const source = readFileSync(new URL('../../src/codec/scan.ts', import.meta.url), 'utf8');
    const text = /```wat\n([\s\S]*?)\n \* ```/.exec(source)?.[1]?.replace(/^ \* ?/gm, '') ?? '';
    const bytes = /const MODULE = Uint8Array\.of\(([\s\S]*?)\);/.exec(source)?.[1] ?? '';
    const wabt = await initWabt();
    const module = wabt.parseWat('scan.wat', text, { simd: true });
    try {
      expect([...module.toBinary({}).buffer]).toEqual(bytes.match(/0x[0-9a-f]{2}/g)?.map(Number));
    } finally {
      module.destroy();
    }
  });
});

describe('translateInPlace', () => {
  /** Translates `chunk` run by run up to each IAC, in place, as the decoder does; the IACs themselves are skipped. */
  const translatedRuns = (chunk: Uint8Array): number[] => {
    let at = 0;
    for (let from = 0; from < chunk.length;) {
      const stopped = translateInPlace(chunk, from, at);
      at = translation.end;
      from = stopped + 1; // past the IAC (or the end)
    }
    settleTranslated();
    return [...chunk.subarray(0, at)];
  };
  const reference = (chunk: Uint8Array): number[] => {
    const out: number[] = [];
    let from = 0;
    for (let iac = chunk.indexOf(IAC); ; iac = chunk.indexOf(IAC, from)) {
      const stop = iac < 0 ? chunk.length : iac;
      out.push(...translatedReference(chunk, from, stop));
      if (chunk[stop - 1] === 13 && stop < chunk.length && stop > from) out.push(13);
      if (iac < 0) return out;
      from = iac + 1;
    }
  };

  it('piles up the runs of a chunk and writes them to it when settled, across windows too', () => {
    for (const length of [40, 70_000, 140_000]) {
      const chunk = Uint8Array.from({ length }, (_, k) => [97, 13, 10, 98, 13, 0, 13, 99, IAC][k % 9] ?? 0);
      const expected = reference(chunk);
      forgetScanned();
      expect(Buffer.from(translatedRuns(chunk.slice())).equals(Buffer.from(expected))).toBe(true);
    }
  });

  it('goes on past IAC IAC (one 255) and, when told, past the commands NOP to GA (dropped), as the byte loop does', () => {
    const patterns = [
      [IAC, GA],
      [IAC, 241],
      [IAC, 250],
      [IAC, 240],
      [IAC, IAC],
      [13, IAC, GA, 10],
      [13, IAC, 246, 0],
    ];
    const inPlace = [
      (chunk: Uint8Array, skip: boolean) => translateInPlace(chunk, 0, 0, skip),
      (chunk: Uint8Array, skip: boolean) => translateBytes(chunk, 0, chunk.length, chunk, 0, skip),
    ];
    for (const pattern of patterns) {
      for (let length = pattern.length; length <= 40; length++) {
        for (let at = 0; at + pattern.length <= length; at++) {
          const chunk = new Uint8Array(length).fill(7);
          chunk.set(pattern, at);
          for (const skip of [false, true]) {
            const { out, stopped } = referenceTranslation(chunk, 0, length, skip);
            for (const translate of inPlace) {
              const copy = chunk.slice();
              forgetScanned();
              expect(translate(copy, skip)).toBe(stopped);
              const end = translation.end;
              settleTranslated();
              expect([...copy.subarray(0, end)]).toEqual(out);
            }
          }
        }
      }
    }
  });

  it('leaves a command or escape split by the edge of its 64 KiB window to the caller', () => {
    // from 0, the edge of its 65,536-byte window is at 65,536
    for (const iac of [65_534, 65_535, 65_536]) {
      for (const next of [GA, IAC]) {
        const chunk = new Uint8Array(70_000).fill(32);
        chunk[iac] = IAC;
        chunk[iac + 1] = next;
        const whole = referenceTranslation(chunk, 0, chunk.length, true);
        const copy = chunk.slice();
        forgetScanned();
        const stopped = translateInPlace(copy, 0, 0, true);
        const end = translation.end;
        settleTranslated();
        if (iac === 65_535) {
          // the IAC is the window's last byte: the caller reads the byte after it
          expect([stopped, end]).toEqual([65_535, 65_535]);
        } else {
          expect(stopped).toBe(whole.stopped);
          expect(Buffer.from(copy.subarray(0, end)).equals(Buffer.from(whole.out))).toBe(true);
        }
      }
    }
  });

  it('settles what piled up for one chunk before translating for another, or out of place', () => {
    const first = Uint8Array.from([97, 13, 10, 98, IAC, 99]);
    const second = Uint8Array.from([100, 13, 10, 101]);
    expect(translateInPlace(first, 0, 0)).toBe(4);
    const firstEnd = translation.end;
    translateInPlace(second, 0, 0); // another decoder's chunk, from a sink of the first
    expect([...first.subarray(0, firstEnd)]).toEqual([97, 10, 98]);
    const secondEnd = translation.end;
    translateNewlines(Uint8Array.from([120, 13, 10]), 0, 3, new Uint8Array(4), 0); // out of place
    expect([...second.subarray(0, secondEnd)]).toEqual([100, 10, 101]);
  });

  it('leaves a connection decoding in place intact when a nested decoder translates from a sink', () => {
    const outer = new TextEncoder().encode('one\r\ntwo\r\n');
    const whole = Uint8Array.from([...outer, IAC, 253, 1, ...new TextEncoder().encode('three\r\n')]);
    const kept: Uint8Array[] = [];
    const decoder = createDecoder({ newline: 'nvt' });
    setInPlace(decoder, true);
    const nested = createDecoder({ newline: 'nvt' });
    const ignore = (): undefined => undefined;
    const innerSink: TelnetSink = {
      data: ignore,
      command: ignore,
      negotiation: ignore,
      subnegotiation: ignore,
      warning: ignore,
    };
    const sink: TelnetSink = {
      ...innerSink,
      data: (bytes, start, end) => kept.push(bytes.subarray(start, end)),
      negotiation: () => {
        decodeChunk(nested, new TextEncoder().encode('x\r\ny\r\n'), ignore);
        const inner = createDecoder({ newline: 'nvt' });
        setInPlace(inner, true);
        decodeInto(inner, new TextEncoder().encode('p\r\nq'), innerSink);
      },
    };
    decodeInto(decoder, whole, sink);
    settleTranslated();
    expect(kept.map((piece) => new TextDecoder().decode(piece))).toEqual(['one\ntwo\n', 'three\n']);
  });
});
