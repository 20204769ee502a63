import { readFileSync } from 'node:fs';
import initWabt from 'wabt';
import { describe, expect, it } from 'vitest';
import { createDecoder, decodeAll, decodeChunk, decodeInto } from '../../src/codec/parser.js';
import type { TelnetSink } from '../../src/codec/parser.js';
import {
  findPlain,
  forgetScanned,
  simdScan,
  translateBytes,
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
    // its window is 65,504 bytes: from 0, the edges are at 65,504 and 131,008
    const hits = [0, 65_503, 65_504, 65_505, 131_007, 131_008, 131_023, 199_999];
    for (const hit of hits) chunk[hit] = IAC;
    forgetScanned();
    const found: number[] = [];
    for (let at = findPlain(chunk, IAC, 0, chunk.length); at >= 0; at = findPlain(chunk, IAC, at + 1, chunk.length)) {
      found.push(at);
    }
    expect(found).toEqual(hits);
    // and from a start before the window it holds now
    expect(findPlain(chunk, IAC, 1, chunk.length)).toBe(65_503);
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

/** What `translateNewlines` must write for `chunk[from, stop)`, up to the first IAC. */
const translatedReference = (chunk: Uint8Array, from: number, stop: number): number[] => {
  const out: number[] = [];
  for (let k = from; k < stop; k++) {
    const byte = chunk[k] ?? 0;
    if (byte === IAC) break;
    if (byte === 13) {
      if (k + 1 === stop) break;
      if (chunk[k + 1] === 10) continue;
      if (chunk[k + 1] === 0) k++;
    }
    out.push(byte);
  }
  return out;
};

const translators = [
  ['SIMD', translateNewlines],
  ['byte loop', translateBytes],
] as const;

describe.each(translators)('translateNewlines (%s)', (_, translate) => {
  const translated = (chunk: Uint8Array, from: number, stop: number, inPlace = false): number[] => {
    const target = inPlace ? chunk : new Uint8Array(chunk.length + 16).fill(99);
    const at = inPlace ? from : 3;
    const stopped = translate(chunk, from, stop, target, at);
    const iac = chunk.indexOf(IAC, from);
    expect(stopped).toBe(iac >= 0 && iac < stop ? iac : stop);
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

  it('translates across the edges of its 64 KiB window, whatever follows a CR there', () => {
    // from 5, the edges of its 65,504-byte window are at 65,509 and 131,013
    for (const edge of [65_508, 65_509, 65_510, 131_012, 131_013, 131_014]) {
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
