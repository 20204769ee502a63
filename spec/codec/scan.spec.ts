import { describe, expect, it } from 'vitest';
import { createDecoder, decodeAll, decodeChunk, decodeInto } from '../../src/codec/parser.js';
import type { TelnetSink } from '../../src/codec/parser.js';
import { findPlain, forgetScanned, simdScan } from '../../src/codec/scan.js';
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
    const hits = [0, 65_519, 65_520, 65_521, 131_040, 131_055, 199_999];
    for (const hit of hits) chunk[hit] = IAC;
    forgetScanned();
    const found: number[] = [];
    for (let at = findPlain(chunk, IAC, 0, chunk.length); at >= 0; at = findPlain(chunk, IAC, at + 1, chunk.length)) {
      found.push(at);
    }
    expect(found).toEqual(hits);
    // and from a start before the window it holds now
    expect(findPlain(chunk, IAC, 1, chunk.length)).toBe(65_519);
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
